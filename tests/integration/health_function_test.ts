import assert from "node:assert/strict";
import { FUNCTIONS_URL } from "../support/env.ts";

const HEALTH_URL = `${FUNCTIONS_URL}/health`;

Deno.test("health function: every part of the running platform is ok, without credentials", async () => {
  const response = await fetch(HEALTH_URL);
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(body.status, "ok");
  assert.deepEqual(Object.keys(body.checks).sort(), ["cron", "database", "novu", "queue"]);

  assert.deepEqual(body.checks.database, { status: "ok" });

  const { queue } = body.checks;
  assert.equal(queue.status, "ok");
  assert.ok(Number.isInteger(queue.queue_length) && queue.queue_length >= 0);
  assert.ok(
    queue.oldest_msg_age_sec === null ||
      (Number.isInteger(queue.oldest_msg_age_sec) && queue.oldest_msg_age_sec >= 0),
  );

  // The dispatcher's migration schedules the sweep; its absence would be a 503 naming cron.
  const { cron } = body.checks;
  assert.equal(cron.status, "ok");
  assert.equal(cron.job, "xnovu-dispatch-sweep");
  assert.equal(cron.active, true);
  if (cron.last_run !== null) assert.notEqual(cron.last_run.status, "failed");

  assert.deepEqual(body.checks.novu, { status: "ok", http_status: 200 });
});

Deno.test("health function: only GET", async () => {
  const response = await fetch(HEALTH_URL, { method: "POST" });
  assert.equal(response.status, 405);
  assert.deepEqual(Object.keys(await response.json()).sort(), ["error", "message"]);
});
