import assert from "node:assert/strict";
import postgres from "postgres";
import { createPgmqQueue } from "../../shared/dispatch/adapters/pgmq-queue.ts";
import { DB_URL, runSuffix } from "../support/env.ts";

// The drainer kicks again at once for 0 and not at all for null: an empty queue answering 0
// kept an idle dispatcher draining about three times a second.
Deno.test("pgmq queue port: seconds until the next visible message, null when empty", async () => {
  const sql = postgres(DB_URL, { prepare: false, max: 1, onnotice: () => {} });
  const name = `it_seconds_${runSuffix().replaceAll("-", "_")}`;
  await sql`select pgmq.create(queue_name => ${name})`;
  try {
    const queue = createPgmqQueue(sql, name);
    assert.equal(await queue.secondsUntilNextVisible(), null, "empty: null");
    await sql`select pgmq.send(queue_name => ${name}, msg => '{}', delay => 30)`;
    const hidden = await queue.secondsUntilNextVisible();
    assert.ok(hidden !== null && hidden >= 29 && hidden <= 30, `hidden for 30 s: ${hidden}`);
    await sql`select pgmq.send(queue_name => ${name}, msg => '{}')`;
    assert.equal(await queue.secondsUntilNextVisible(), 0, "a visible message: 0");
  } finally {
    await sql`select pgmq.drop_queue(queue_name => ${name})`;
    await sql.end();
  }
});
