import assert from "node:assert/strict";
import { judgeCronJob, novuCheck } from "./checks.ts";

const JOB = "xnovu-dispatch-sweep";
const startedAt = new Date("2026-11-22T00:00:00Z");

Deno.test("cron: a missing job is failing and says so", () => {
  assert.deepEqual(judgeCronJob(JOB, undefined), {
    ok: false,
    job: JOB,
    message: "pg_cron job xnovu-dispatch-sweep does not exist",
  });
});

Deno.test("cron: an active job that never ran is ok, with no last run", () => {
  assert.deepEqual(
    judgeCronJob(JOB, {
      active: true,
      last_run_status: null,
      last_run_started_at: null,
      last_run_message: null,
    }),
    { ok: true, job: JOB, active: true, last_run: null },
  );
});

Deno.test("cron: an active job whose last run succeeded is ok and reports the run", () => {
  assert.deepEqual(
    judgeCronJob(JOB, {
      active: true,
      last_run_status: "succeeded",
      last_run_started_at: startedAt,
      last_run_message: "1 row",
    }),
    {
      ok: true,
      job: JOB,
      active: true,
      last_run: { status: "succeeded", started_at: startedAt, message: "1 row" },
    },
  );
});

Deno.test("cron: an inactive job or a failed last run is failing", () => {
  const inactive = judgeCronJob(JOB, {
    active: false,
    last_run_status: "succeeded",
    last_run_started_at: startedAt,
    last_run_message: null,
  });
  assert.equal(inactive.ok, false);
  assert.equal(inactive.message, "pg_cron job xnovu-dispatch-sweep is inactive");
  const failed = judgeCronJob(JOB, {
    active: true,
    last_run_status: "failed",
    last_run_started_at: startedAt,
    last_run_message: "ERROR: function net.http_post does not exist",
  });
  assert.equal(failed.ok, false);
  assert.equal(failed.message, "the last run of xnovu-dispatch-sweep failed");
});

Deno.test("novu: probes /v1/health-check; 2xx is ok, anything else failing", async () => {
  const requested: string[] = [];
  const answering = (status: number): typeof fetch => (input) => {
    requested.push(String(input));
    return Promise.resolve(new Response("{}", { status }));
  };
  const signal = new AbortController().signal;
  assert.deepEqual(
    await novuCheck({ apiUrl: "https://novu.test/", fetch: answering(200) })(signal),
    { ok: true, http_status: 200 },
  );
  assert.deepEqual(
    await novuCheck({ apiUrl: "https://novu.test", fetch: answering(502) })(signal),
    {
      ok: false,
      http_status: 502,
      message: "https://novu.test/v1/health-check answered 502",
    },
  );
  assert.deepEqual(requested, [
    "https://novu.test/v1/health-check",
    "https://novu.test/v1/health-check",
  ]);
});
