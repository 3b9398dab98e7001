import assert from "node:assert/strict";
import { createDbClient } from "../../../shared/db/client.ts";
import { databaseCheck, novuCheck } from "./checks.ts";
import { type CheckOutcome, createHealthHandler, type HealthCheck } from "./handler.ts";

const healthy = (details: Record<string, unknown> = {}): HealthCheck => () =>
  Promise.resolve({ ok: true, ...details });

const OPERATOR_TOKEN = "operator-token";

function handlerWith(checks: Record<string, HealthCheck>, errors: unknown[] = []) {
  return createHealthHandler({
    checks,
    timeoutMs: 200,
    mayReadDetails: (request) =>
      Promise.resolve(request.headers.get("authorization") === `Bearer ${OPERATOR_TOKEN}`),
    logError: (_message, error) => errors.push(error),
  });
}

/** A GET with the operator's credentials, who may read every part's details. */
const get = (handle: (request: Request) => Promise<Response>) =>
  handle(
    new Request("http://health.test/", { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } }),
  );

Deno.test("all parts ok: 200 with each part's status and details", async () => {
  const response = await get(handlerWith({
    database: healthy(),
    queue: healthy({ queue_length: 3, oldest_msg_age_sec: 12 }),
  }));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    status: "ok",
    checks: {
      database: { status: "ok" },
      queue: { status: "ok", queue_length: 3, oldest_msg_age_sec: 12 },
    },
  });
});

Deno.test("an unreachable Novu URL: 503 naming novu, the other parts still reported", async () => {
  // Port 1 on loopback refuses connections: a Novu that is down, not a slow one.
  const response = await get(handlerWith({
    database: healthy(),
    novu: novuCheck({ apiUrl: "http://127.0.0.1:1", secretKey: "k", fetch }),
  }));
  assert.equal(response.status, 503);
  const body = await response.json();
  assert.equal(body.error, "DEGRADED");
  assert.equal(body.message, "failing: novu");
  assert.equal(body.status, "degraded");
  assert.deepEqual(body.failing, ["novu"]);
  assert.deepEqual(body.checks.database, { status: "ok" });
  assert.equal(body.checks.novu.status, "failing");
  assert.match(body.checks.novu.message, /^http:\/\/127\.0\.0\.1:1\/v1\/health-check unreachable/);
});

Deno.test("an unreachable database: 503 naming database", async () => {
  // Port 1 on loopback refuses connections: a database that is down.
  const sql = createDbClient("postgresql://postgres:postgres@127.0.0.1:1/postgres", { max: 1 });
  try {
    const response = await get(handlerWith({ database: databaseCheck(sql), queue: healthy() }, []));
    assert.equal(response.status, 503);
    const body = await response.json();
    assert.deepEqual(body.failing, ["database"]);
    assert.match(body.checks.database.message, /ECONNREFUSED|refused/i);
  } finally {
    await sql.end();
  }
});

Deno.test("a part that throws or hangs is failing, and the probe still answers", async () => {
  const errors: unknown[] = [];
  const broken = new Error("relation pgmq.q_notification_dispatch does not exist");
  let hangAborted = false;
  const hangs: HealthCheck = (signal) =>
    new Promise<CheckOutcome>(() => {
      signal.addEventListener("abort", () => hangAborted = true);
    });
  const startedAt = performance.now();
  const response = await get(handlerWith({
    database: healthy(),
    queue: () => Promise.reject(broken),
    cron: hangs,
  }, errors));
  assert.ok(performance.now() - startedAt < 1_000);
  assert.equal(response.status, 503);
  const body = await response.json();
  assert.deepEqual(body.failing, ["queue", "cron"]);
  assert.deepEqual(body.checks.queue, { status: "failing", message: broken.message });
  assert.deepEqual(body.checks.cron, { status: "failing", message: "no answer within 200 ms" });
  assert.equal(hangAborted, true);
  assert.deepEqual(errors, [broken]);
});

Deno.test("without the operator's credentials: the overall state and part names, no details or error text", async () => {
  const failing: HealthCheck = () =>
    Promise.resolve({ ok: false, message: "db.internal.example:5432 refused", host: "db" });
  const handle = handlerWith({ database: failing, queue: healthy({ visible: 3 }) });
  const anonymous = await handle(new Request("http://health.test/"));
  assert.equal(anonymous.status, 503);
  assert.deepEqual(await anonymous.json(), {
    error: "DEGRADED",
    message: "failing: database",
    status: "degraded",
    failing: ["database"],
    checks: { database: { status: "failing" }, queue: { status: "ok" } },
  });
  const wrongToken = await handle(
    new Request("http://health.test/", { headers: { authorization: "Bearer guess" } }),
  );
  assert.deepEqual((await wrongToken.json()).checks.database, { status: "failing" });
  const operator = await get(handle);
  assert.deepEqual((await operator.json()).checks.database, {
    status: "failing",
    message: "db.internal.example:5432 refused",
    host: "db",
  });
});

Deno.test("only GET is answered", async () => {
  const response = await handlerWith({ database: healthy() })(
    new Request("http://health.test/", { method: "POST" }),
  );
  assert.equal(response.status, 405);
  assert.equal((await response.json()).error, "METHOD_NOT_ALLOWED");
});
