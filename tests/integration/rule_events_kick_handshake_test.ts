import assert from "node:assert/strict";
import postgres from "postgres";
import { DB_URL, ENTERPRISE_A, runSuffix } from "../support/env.ts";

// emit_event skips its pg_net kick of rule-events while a drain holds its lease, and a drain stops
// only once every transaction that skipped is over (20261204120000_coalesce_rule_events_kicks.sql,
// docs/internals.md "Event kicks"). The tests play the drain themselves on the database's lease.
// A rule-events drain of the running platform (a pg_cron tick) writes the same lease; an attempt
// it disturbed (the lease is not the value the attempt wrote) is tried again.

const ATTEMPTS = 5;

/** rule-events kicks the current transaction queued through pg_net (sent after commit). */
function kicksQueued(tx: postgres.TransactionSql) {
  return tx<{ kicks: number }[]>`
    select count(*)::int as kicks from net.http_request_queue
     where url like '%/rule-events'
       and xmin::text = (pg_current_xact_id()::text::bigint % 4294967296)::text`;
}

async function leaseValue(sql: postgres.Sql | postgres.TransactionSql) {
  const [{ value }] = await sql<{ value: string }[]>`
    select last_value::text as value from notify_internal.rule_events_drain_lease`;
  return value;
}

/** A lease far ahead that no real drain writes (they renew for seconds): how attempts tell theirs. */
async function leaseOfOurOwn(sql: postgres.Sql) {
  const [{ value }] = await sql<{ value: string }[]>`
    select setval('notify_internal.rule_events_drain_lease',
      (extract(epoch from clock_timestamp()) * 1000)::bigint + 600000 + (random() * 100000)::int)::text as value`;
  return value;
}

async function withConnections(
  body: (producer: postgres.Sql, drain: postgres.Sql) => Promise<"done" | "disturbed">,
) {
  const producer = postgres(DB_URL, { prepare: false, max: 1, onnotice: () => {} });
  const drain = postgres(DB_URL, { prepare: false, max: 1, onnotice: () => {} });
  try {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (await body(producer, drain) === "done") return;
    }
    assert.fail(`a running drain disturbed all ${ATTEMPTS} attempts`);
  } finally {
    await drain`select notify_internal.stop_rule_events_drain()`;
    await producer.end();
    await drain.end();
  }
}

Deno.test("an event emitted while a drain holds its lease queues no kick, and the drain cannot stop until that transaction ends", async () => {
  await withConnections(async (producer, drain) => {
    const ours = await leaseOfOurOwn(drain);
    let stopWhileOpen: boolean | undefined;
    let disturbed = false;
    await producer.begin(async (tx) => {
      await tx`select notify.emit_event(${ENTERPRISE_A}::uuid, ${`handshake.${runSuffix()}`}, '{}')`;
      const [{ kicks }] = await kicksQueued(tx);
      disturbed = (await leaseValue(tx)) !== ours;
      if (disturbed) return;
      assert.equal(kicks, 0, "a drain holds its lease: no kick");
      const [{ stopped }] = await drain<{ stopped: boolean }[]>`
        select notify_internal.stop_rule_events_drain() as stopped`;
      stopWhileOpen = stopped;
    });
    if (disturbed) return "disturbed";
    assert.equal(stopWhileOpen, false, "the stop waits for the open transaction that skipped");
    // Committed now: the drain may stop (another drain's stop holds the lock for an instant).
    let stopped = false;
    for (let i = 0; i < 50 && !stopped; i++) {
      [{ stopped }] = await drain<{ stopped: boolean }[]>`
        select notify_internal.stop_rule_events_drain() as stopped`;
    }
    assert.equal(
      stopped,
      true,
      "after the commit the drain stops, and its last read sees the event",
    );
    return "done";
  });
});

Deno.test("an event emitted after the drain stopped kicks rule-events, even in a repeatable read transaction whose snapshot predates the stop", async () => {
  await withConnections(async (producer, drain) => {
    await leaseOfOurOwn(drain);
    let result: "done" | "disturbed" = "done";
    await producer.begin("isolation level repeatable read", async (tx) => {
      // The snapshot is taken here, while the lease holds.
      await tx`select count(*) from notify.rule_event`;
      await drain`select notify_internal.stop_rule_events_drain()`;
      await tx`select notify.emit_event(${ENTERPRISE_A}::uuid, ${`handshake.${runSuffix()}`}, '{}')`;
      const [{ kicks }] = await kicksQueued(tx);
      if ((await leaseValue(tx)) !== "0") {
        result = "disturbed";
        return;
      }
      assert.equal(kicks, 1, "no drain holds a lease: one kick");
    });
    return result;
  });
});
