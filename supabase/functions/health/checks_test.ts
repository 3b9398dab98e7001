import assert from "node:assert/strict";
import { verifyNovuSignature } from "../../../shared/novu/signature.ts";
import { serveEmulator, TEST_SECRET } from "../../../local/novu-emulator/testing.ts";
import {
  bridgeCheck,
  type CronJobState,
  judgeCronJob,
  judgeKicks,
  judgeQueues,
  novuCheck,
} from "./checks.ts";

const JOB = "xnovu-dispatch-sweep";
const startedAt = new Date("2026-11-22T00:00:00Z");
const signal = new AbortController().signal;

const ranRecently: CronJobState = {
  active: true,
  last_run_status: "succeeded",
  last_run_started_at: startedAt,
  last_run_message: "1 row",
  seconds_since_last_run: 20,
  seconds_since_database_start: 5000,
};

Deno.test("cron: a missing job is failing and says so", () => {
  assert.deepEqual(judgeCronJob(JOB, undefined, 180), {
    ok: false,
    job: JOB,
    message: "pg_cron job xnovu-dispatch-sweep does not exist",
  });
});

Deno.test("cron: an active job whose last run succeeded recently is ok and reports the run", () => {
  assert.deepEqual(judgeCronJob(JOB, ranRecently, 180), {
    ok: true,
    job: JOB,
    active: true,
    last_run: { status: "succeeded", started_at: startedAt, message: "1 row" },
  });
});

Deno.test("cron: a job that never ran is ok only while the database is younger than the limit", () => {
  const neverRan = {
    ...ranRecently,
    last_run_status: null,
    last_run_started_at: null,
    last_run_message: null,
    seconds_since_last_run: null,
  };
  assert.deepEqual(judgeCronJob(JOB, { ...neverRan, seconds_since_database_start: 30 }, 180), {
    ok: true,
    job: JOB,
    active: true,
    last_run: null,
  });
  const stale = judgeCronJob(JOB, { ...neverRan, seconds_since_database_start: 600 }, 180);
  assert.equal(stale.ok, false);
  assert.equal(stale.message, "xnovu-dispatch-sweep has not run for 600 s (limit 180 s)");
});

Deno.test("cron: a job silent for longer than the limit is failing", () => {
  const silent = judgeCronJob(JOB, { ...ranRecently, seconds_since_last_run: 181.4 }, 180);
  assert.equal(silent.ok, false);
  assert.equal(silent.message, "xnovu-dispatch-sweep has not run for 181 s (limit 180 s)");
});

Deno.test("cron: an inactive job or a failed last run is failing", () => {
  const inactive = judgeCronJob(JOB, { ...ranRecently, active: false }, 180);
  assert.equal(inactive.ok, false);
  assert.equal(inactive.message, "pg_cron job xnovu-dispatch-sweep is inactive");
  const failed = judgeCronJob(JOB, {
    ...ranRecently,
    last_run_status: "failed",
    last_run_message: "ERROR: function net.http_post does not exist",
  }, 180);
  assert.equal(failed.ok, false);
  assert.equal(failed.message, "the last run of xnovu-dispatch-sweep failed");
});

Deno.test("queue: invisible messages (scheduled, backing off) never fail it; a stalled visible one does", () => {
  const waits = [
    { queue_name: "notification_dispatch", visible: 2, delayed: 900, oldest_visible_wait_s: 4 },
    {
      queue_name: "notification_cancellation",
      visible: 0,
      delayed: 3,
      oldest_visible_wait_s: null,
    },
  ];
  assert.deepEqual(judgeQueues(waits, 300), {
    ok: true,
    visible: 2,
    delayed: 903,
    oldest_visible_wait_s: 4,
    longest_waiting_queue: "notification_dispatch",
    wait_limit_s: 300,
  });
  const stalled = judgeQueues([
    ...waits,
    { queue_name: "nl2_abc", visible: 7, delayed: 0, oldest_visible_wait_s: 301 },
  ], 300);
  assert.equal(stalled.ok, false);
  assert.deepEqual(stalled.stalled_queues, ["nl2_abc"]);
  assert.equal(
    stalled.message,
    "1 queue(s) have a visible message waiting longer than 300 s; the longest, nl2_abc, for 301 s",
  );
  assert.equal(judgeQueues([], 300).ok, true);
});

Deno.test("kicks: failing only when every newest kick considered failed", () => {
  const failedAt = new Date("2026-12-04T05:00:00Z");
  assert.deepEqual(
    judgeKicks({ considered: 0, failed: 0, newest_failure_at: null, newest_failure: null }),
    { ok: true, considered: 0, failed: 0 },
  );
  assert.deepEqual(
    judgeKicks({ considered: 3, failed: 2, newest_failure_at: failedAt, newest_failure: "x" }),
    { ok: true, considered: 3, failed: 2 },
  );
  assert.deepEqual(
    judgeKicks({
      considered: 3,
      failed: 3,
      newest_failure_at: failedAt,
      newest_failure: "Couldn't connect to server",
    }),
    {
      ok: false,
      considered: 3,
      failed: 3,
      newest_failure_at: failedAt,
      message:
        "the last 3 kick(s) of the edge functions failed; the newest: Couldn't connect to server",
    },
  );
});

Deno.test("novu: against the emulator, ok with the right key, failing with a wrong or revoked one", async () => {
  const served = serveEmulator({});
  try {
    const check = (secretKey: string) =>
      novuCheck({ apiUrl: served.url, secretKey, fetch })(signal);
    assert.deepEqual(await check(TEST_SECRET), { ok: true, http_status: 200 });
    assert.deepEqual(await check("not-the-key"), {
      ok: false,
      http_status: 401,
      message: "Novu rejected the API key (NOVU_SECRET_KEY): 401",
    });
    const revoked = await fetch(`${served.url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ apiKeyRevoked: true }),
    });
    assert.equal(revoked.status, 200);
    await revoked.body?.cancel();
    assert.equal((await check(TEST_SECRET)).http_status, 401);
  } finally {
    await served.close();
  }
});

Deno.test("novu: an unreachable or failing Novu is failing, naming the URL", async () => {
  const down = await novuCheck({ apiUrl: "http://127.0.0.1:1", secretKey: "k", fetch })(signal);
  assert.equal(down.ok, false);
  assert.match(String(down.message), /^http:\/\/127\.0\.0\.1:1\/v1\/health-check unreachable/);
  const answering502: typeof fetch = () => Promise.resolve(new Response("{}", { status: 502 }));
  assert.deepEqual(
    await novuCheck({ apiUrl: "https://novu.test/", secretKey: "k", fetch: answering502 })(signal),
    { ok: false, http_status: 502, message: "https://novu.test/v1/health-check answered 502" },
  );
});

Deno.test("bridge: a signed discover listing workflows is ok; a refusal or a body without workflows is failing", async () => {
  const now = () => Date.parse("2026-12-04T05:00:00Z");
  const bridgeAnswering = (answer: (request: Request) => Response): typeof fetch => (input, init) =>
    Promise.resolve(answer(new Request(input as string, init)));
  // Answers like @novu/framework: 401 unless the signature covers `{}` with the secret.
  const framework = (body: string) =>
    bridgeAnswering((request) => {
      const url = new URL(request.url);
      assert.equal(url.searchParams.get("action"), "discover");
      return new Response(body, { status: 200 });
    });
  const signed = async (request: Request) =>
    (await verifyNovuSignature("bridge-secret", request.headers.get("novu-signature"), "{}", now()))
      .valid;
  const verifyingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input as string, init);
    return (await signed(request))
      ? new Response(JSON.stringify({ workflows: [{ workflowId: "a" }, { workflowId: "b" }] }))
      : new Response('{"message":"Signature does not match"}', { status: 401 });
  };
  const check = (secretKey: string, fetcher: typeof fetch) =>
    bridgeCheck({ bridgeUrl: "https://bridge.test/novu-bridge", secretKey, fetch: fetcher, now })(
      signal,
    );
  assert.deepEqual(await check("bridge-secret", verifyingFetch), { ok: true, workflows: 2 });
  assert.deepEqual(await check("other-secret", verifyingFetch), {
    ok: false,
    http_status: 401,
    message: 'discover answered 401: {"message":"Signature does not match"}',
  });
  assert.deepEqual(await check("bridge-secret", framework('{"ok":true}')), {
    ok: false,
    message: "discover answered without a workflows array",
  });
  const unreachable = await bridgeCheck({
    bridgeUrl: "http://127.0.0.1:1/novu-bridge",
    secretKey: "bridge-secret",
    fetch,
    now,
  })(signal);
  assert.equal(unreachable.ok, false);
});
