import assert from "node:assert/strict";
import { ENTERPRISE_A } from "../support/env.ts";
import { connect, recipientIds, type Sql, uniqueName, waitFor } from "./support/platform.ts";
import { createRule, deleteRules, firingsOf, waitForMatched } from "./support/rules.ts";

// emit_event skips its kick while a rule-events drain holds its lease; the drain lingers after
// the queue looks empty and stops only through the handshake (docs/internals.md, "Coalesced kicks").
// Proof that such an event is matched by the running drain and not left to the pg_cron tick:
// it is matched with no kick of its own and no tick run around it. An attempt with a tick run
// nearby (whose kick could have started the drain that matched it) proves nothing and is redone.

const ATTEMPTS = 4;
/** A tick's kick reaches rule-events after the tick's commit, through the pg_net worker. */
const TICK_KICK_SLACK = "2 seconds";

async function emit(sql: Sql, eventName: string, recipient: string, n: number) {
  return await sql.begin(async (tx) => {
    const [{ id }] = await tx<{ id: string }[]>`
      select notify.emit_event(${ENTERPRISE_A}::uuid, ${eventName},
        ${tx.json({ n, residentIds: [recipient] })})::text as id`;
    const [{ kicks }] = await tx<{ kicks: number }[]>`
      select count(*)::int as kicks from net.http_request_queue
       where url like '%/rule-events'
         and xmin::text = (pg_current_xact_id()::text::bigint % 4294967296)::text`;
    return { id: Number(id), kicked: kicks > 0 };
  });
}

async function leaseValue(sql: Sql) {
  const [{ value }] = await sql<{ value: string }[]>`
    select last_value::text as value from notify_internal.rule_events_drain_lease`;
  return value;
}

Deno.test("an event emitted while a drain lingers is matched by that drain without a kick of its own", async () => {
  const sql = connect();
  const eventName = `door.lingering.${crypto.randomUUID().slice(0, 8)}`;
  const [recipient] = recipientIds(1);
  const ruleId = await createRule(sql, {
    name: uniqueName("event-kicks"),
    workflowKey: "default-sms",
    triggerType: "EVENT",
    triggerConfig: { event: eventName },
    rulePayload: {
      payload: { body: "Door event {{event.payload.n}}" },
      recipients: { event_path: "payload.residentIds" },
    },
  });
  try {
    const outcomes: string[] = [];
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      // The first event starts a drain (by its kick, or joins a running one).
      const first = await emit(sql, eventName, recipient, attempt * 2);
      await waitForMatched(sql, first.id);
      // The drain renews its lease with each read: a new value after the event was matched is
      // a read of an empty queue, i.e. the drain lingers; 0 means it stopped.
      const afterMatch = await leaseValue(sql);
      const lease = afterMatch === "0" ? afterMatch : await waitFor(async () => {
        const value = await leaseValue(sql);
        return value === afterMatch ? undefined : value;
      }, { what: "the drain to read on or stop", timeoutMs: 30_000, intervalMs: 10 });
      if (lease === "0") {
        outcomes.push("the drain stopped after the first event instead of lingering");
        continue;
      }
      const second = await emit(sql, eventName, recipient, attempt * 2 + 1);
      if (second.kicked) {
        outcomes.push("the drain stopped before the second event: it kicked");
        continue;
      }
      const { emitted_at, processed_at } = await waitForMatched(sql, second.id, 90_000);
      const [{ ticks }] = await sql<{ ticks: number }[]>`
        select count(*)::int as ticks
          from cron.job_run_details d join cron.job j on j.jobid = d.jobid
         where j.jobname = 'xnovu-rules-tick'
           and d.start_time between ${emitted_at}::timestamptz - ${TICK_KICK_SLACK}::interval
                                and ${processed_at}`;
      if (ticks > 0) {
        outcomes.push("a tick ran around the second event");
        // Past that tick's slack before the next attempt, or it would cover that one too.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        continue;
      }
      const firings = await firingsOf(sql, ruleId);
      assert.ok(
        firings.some((firing) => Number(firing.event_id) === second.id),
        "its firing is recorded",
      );
      return;
    }
    assert.fail(`no attempt showed a lingering drain matching a kickless event: ${outcomes}`);
  } finally {
    await deleteRules(sql, [ruleId]);
    await sql.end();
  }
});
