import assert from "node:assert/strict";
import postgres from "postgres";
import { clearFaults, setFaults } from "../support/emulator.ts";
import { DB_URL, FUNCTIONS_URL, SERVICE_ROLE_KEY } from "../support/env.ts";

const HEALTH_URL = `${FUNCTIONS_URL}/health`;
const PARTS = ["bridge", "cron", "database", "kicks", "novu", "queue"];

// deno-lint-ignore no-explicit-any
type Json = any;

async function health(asOperator = true): Promise<{ status: number; body: Json }> {
  const response = await fetch(HEALTH_URL, {
    headers: asOperator ? { authorization: `Bearer ${SERVICE_ROLE_KEY}` } : {},
  });
  return { status: response.status, body: await response.json() };
}

/** Runs `body` with a database client, closed afterwards. */
async function withDatabase(body: (sql: postgres.Sql) => Promise<void>) {
  const sql = postgres(DB_URL, { prepare: false, max: 2, onnotice: () => {} });
  try {
    await body(sql);
  } finally {
    await sql.end();
  }
}

function assertOnlyFailing(body: Json, part: string) {
  assert.deepEqual(body.failing, [part], JSON.stringify(body));
  assert.equal(body.message, `failing: ${part}`);
}

Deno.test("health: every part of the running platform is ok; the operator sees the details", async () => {
  const { status, body } = await health();
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.status, "ok");
  assert.deepEqual(Object.keys(body.checks).sort(), PARTS);
  assert.deepEqual(body.checks.database, { status: "ok" });
  assert.equal(body.checks.queue.wait_limit_s, 300);
  assert.ok(Number.isInteger(body.checks.queue.visible));
  assert.equal(body.checks.cron.job, "xnovu-dispatch-sweep");
  assert.deepEqual(body.checks.novu, { status: "ok", http_status: 200 });
  // The seed's static workflows at least, discovered through the signed call Novu Cloud makes.
  assert.ok(body.checks.bridge.workflows > 0, JSON.stringify(body.checks.bridge));
});

Deno.test("health: without the service role key only each part's status is shown", async () => {
  const { status, body } = await health(false);
  assert.equal(status, 200);
  assert.deepEqual(body, {
    status: "ok",
    checks: Object.fromEntries(PARTS.map((part) => [part, { status: "ok" }])),
  });
});

Deno.test("health: a visible message nobody has read for longer than the limit is a 503 naming queue", async () => {
  await withDatabase(async (sql) => {
    const queue = `health_probe_${crypto.randomUUID().slice(0, 8)}`;
    await sql`select pgmq.create(${queue})`;
    try {
      await sql`select pgmq.send(${queue}, '{}'::jsonb)`;
      // Visible since ten minutes ago, as if every dispatcher had stopped reading it.
      await sql.unsafe(`update pgmq.q_${queue} set vt = now() - interval '10 minutes'`);
      const { status, body } = await health();
      assert.equal(status, 503, JSON.stringify(body));
      assertOnlyFailing(body, "queue");
      assert.deepEqual(body.checks.queue.stalled_queues, [queue]);
      assert.match(body.checks.queue.message, new RegExp(`the longest, ${queue}, for 60\\d s`));
      const anonymous = await health(false);
      assert.deepEqual(anonymous.body.checks.queue, { status: "failing" });
    } finally {
      await sql`select pgmq.drop_queue(${queue})`;
    }
  });
});

Deno.test("health: when the newest kicks of the edge functions all failed, a 503 naming kicks", async () => {
  await withDatabase(async (sql) => {
    // What pg_net records when functions_url points at a dead port.
    const failures = await sql<{ id: number }[]>`
      insert into net._http_response (id, status_code, timed_out, error_msg, created)
      select -g, null, false, 'Couldn''t connect to server', now() + make_interval(secs => g)
        from generate_series(1, 3) g
      returning id`;
    try {
      const { status, body } = await health();
      assert.equal(status, 503, JSON.stringify(body));
      assertOnlyFailing(body, "kicks");
      assert.equal(body.checks.kicks.failed, 3);
      assert.match(body.checks.kicks.message, /the newest: Couldn't connect to server$/);
    } finally {
      await sql`delete from net._http_response where id = any(${failures.map((row) => row.id)})`;
    }
  });
});

Deno.test("health: a failed sweep run is a 503 naming cron", async () => {
  await withDatabase(async (sql) => {
    const [run] = await sql<{ runid: number }[]>`
      insert into cron.job_run_details (jobid, runid, status, return_message, start_time, end_time)
      select jobid, nextval('cron.runid_seq'), 'failed', 'ERROR: permission denied for function',
             now() + interval '1 second', now() + interval '1 second'
        from cron.job where jobname = 'xnovu-dispatch-sweep'
      returning runid`;
    try {
      const { status, body } = await health();
      assert.equal(status, 503, JSON.stringify(body));
      assertOnlyFailing(body, "cron");
      assert.equal(body.checks.cron.message, "the last run of xnovu-dispatch-sweep failed");
      assert.equal(body.checks.cron.last_run.message, "ERROR: permission denied for function");
    } finally {
      await sql`delete from cron.job_run_details where runid = ${run.runid}`;
    }
  });
});

Deno.test("health: a Novu API key that is no longer accepted is a 503 naming novu", async () => {
  await setFaults({ apiKeyRevoked: true });
  try {
    const { status, body } = await health();
    assert.equal(status, 503, JSON.stringify(body));
    assertOnlyFailing(body, "novu");
    assert.equal(body.checks.novu.message, "Novu rejected the API key (NOVU_SECRET_KEY): 401");
  } finally {
    await clearFaults();
  }
});

Deno.test("health: a bridge that cannot answer discover is a 503 naming bridge", async () => {
  await withDatabase(async (sql) => {
    // The bridge reads the published workflows to discover them; holding their table locked
    // makes discover hang, like a bridge whose database is unreachable.
    await sql.begin(async (transaction) => {
      await transaction`lock table notify.ent_notification_workflow in access exclusive mode`;
      // Past the bridge's half-second cache of those rows (shared/workflows/bridge.ts).
      await new Promise((resolve) => setTimeout(resolve, 600));
      const { status, body } = await health();
      assert.equal(status, 503, JSON.stringify(body));
      assertOnlyFailing(body, "bridge");
      assert.equal(body.checks.bridge.message, "no answer within 3000 ms");
    });
  });
});

Deno.test("health: only GET", async () => {
  const response = await fetch(HEALTH_URL, { method: "POST" });
  assert.equal(response.status, 405);
  assert.deepEqual(Object.keys(await response.json()).sort(), ["error", "message"]);
});
