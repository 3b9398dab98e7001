import assert from "node:assert/strict";
import postgres from "postgres";
import { DB_URL, ENTERPRISE_A, runSuffix } from "../support/env.ts";

// A producer skips its pg_net kick of a function while a drain of that function holds its lease,
// and a drain stops only once every transaction that skipped is over
// (20261204180000_generalise_drain_leases.sql, docs/internals.md "Coalesced kicks"). Shown for
// both producers: emit_event (rule-events) and an enqueue (the dispatcher). The tests play the
// drain themselves on the database's lease. A drain of the running platform (a pg_cron tick or
// sweep) writes the same lease; an attempt it disturbed (the lease is not the value the attempt
// wrote) is tried again.

const ATTEMPTS = 5;

interface Producer {
  /** The edge function it kicks. */
  functionName: string;
  /** Queues work for that function in the transaction. */
  queue: (tx: postgres.TransactionSql) => Promise<unknown>;
  /** Whether the test commits that work (else it rolls back: nothing is sent). */
  commits: boolean;
}

const PRODUCERS: Producer[] = [
  {
    functionName: "rule-events",
    queue: (tx) =>
      tx`select notify.emit_event(${ENTERPRISE_A}::uuid, ${`handshake.${runSuffix()}`}, '{}')`,
    commits: true,
  },
  {
    functionName: "dispatcher",
    queue: (tx) =>
      tx`insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients)
         values (${`handshake ${runSuffix()}`}, ${ENTERPRISE_A}::uuid, 'PUBLISH', '{}', '{}')`,
    commits: false,
  },
];

const ROLL_BACK = new Error("the test's producer rolls back");

/** Kicks of the function the current transaction queued through pg_net (sent after commit). */
function kicksQueued(tx: postgres.TransactionSql, functionName: string) {
  return tx<{ kicks: number }[]>`
    select count(*)::int as kicks from net.http_request_queue
     where url like ${`%/${functionName}`}
       and xmin::text = (pg_current_xact_id()::text::bigint % 4294967296)::text`;
}

async function leaseValue(sql: postgres.Sql | postgres.TransactionSql, functionName: string) {
  const [{ value }] = await sql<{ value: string }[]>`
    select coalesce(pg_sequence_last_value(notify_internal.drain_lease_sequence(${functionName})), 0)::text as value`;
  return value;
}

/** A lease far ahead that no real drain writes (they renew for seconds): how attempts tell theirs. */
async function leaseOfOurOwn(sql: postgres.Sql, functionName: string) {
  const [{ value }] = await sql<{ value: string }[]>`
    select setval(notify_internal.drain_lease_sequence(${functionName}),
      (extract(epoch from clock_timestamp()) * 1000)::bigint + 600000 + (random() * 100000)::int)::text as value`;
  return value;
}

async function stopDrain(drain: postgres.Sql, functionName: string) {
  const [{ stopped }] = await drain<{ stopped: boolean }[]>`
    select notify_internal.stop_drain(${functionName}) as stopped`;
  return stopped;
}

/** Runs `body` in a producer transaction that commits or rolls back as `producer` says. */
async function inProducerTransaction(
  sql: postgres.Sql,
  producer: Producer,
  body: (tx: postgres.TransactionSql) => Promise<void>,
  isolation = "",
) {
  try {
    await sql.begin(isolation, async (tx) => {
      await body(tx);
      if (!producer.commits) throw ROLL_BACK;
    });
  } catch (error) {
    if (error !== ROLL_BACK) throw error;
  }
}

async function withConnections(
  functionName: string,
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
    await stopDrain(drain, functionName);
    await producer.end();
    await drain.end();
  }
}

for (const producer of PRODUCERS) {
  const { functionName } = producer;

  Deno.test(`${functionName}: work queued while a drain holds its lease queues no kick, and the drain cannot stop until that transaction ends`, async () => {
    await withConnections(functionName, async (producerSql, drain) => {
      const ours = await leaseOfOurOwn(drain, functionName);
      let stopWhileOpen: boolean | undefined;
      let disturbed = false;
      await inProducerTransaction(producerSql, producer, async (tx) => {
        await producer.queue(tx);
        const [{ kicks }] = await kicksQueued(tx, functionName);
        disturbed = (await leaseValue(tx, functionName)) !== ours;
        if (disturbed) return;
        assert.equal(kicks, 0, "a drain holds its lease: no kick");
        stopWhileOpen = await stopDrain(drain, functionName);
      });
      if (disturbed) return "disturbed";
      assert.equal(stopWhileOpen, false, "the stop waits for the open transaction that skipped");
      // Ended now: the drain may stop (another drain's stop holds the lock for an instant).
      let stopped = false;
      for (let i = 0; i < 50 && !stopped; i++) stopped = await stopDrain(drain, functionName);
      assert.equal(
        stopped,
        true,
        "after the commit the drain stops, and its last read sees the work",
      );
      return "done";
    });
  });

  Deno.test(`${functionName}: work queued after the drain stopped kicks, even in a repeatable read transaction whose snapshot predates the stop`, async () => {
    await withConnections(functionName, async (producerSql, drain) => {
      await leaseOfOurOwn(drain, functionName);
      let result: "done" | "disturbed" = "done";
      await inProducerTransaction(producerSql, producer, async (tx) => {
        // The snapshot is taken here, while the lease holds.
        await tx`select count(*) from notify.rule_event`;
        await stopDrain(drain, functionName);
        await producer.queue(tx);
        const [{ kicks }] = await kicksQueued(tx, functionName);
        if ((await leaseValue(tx, functionName)) !== "0") {
          result = "disturbed";
          return;
        }
        assert.equal(kicks, 1, "no drain holds a lease: one kick");
      }, "isolation level repeatable read");
      return result;
    });
  });
}
