/**
 * A 20,000-row backlog drains through a dispatcher running under the edge runtime's emulated
 * limits (local/functions-server/limits.ts): every drain keeps to its CPU budget and hands the
 * rest to a fresh one (shared/dispatch/drainer.ts). Should a worker be terminated anyway,
 * nothing may be lost or sent twice: every row ends SENT through exactly one SENT transition,
 * and the Novu emulator receives each transaction id once.
 */
import assert from "node:assert/strict";
import { connect, EMULATOR_URL, type Json, recipientIds, waitFor } from "./support/platform.ts";
import { ENTERPRISE_A } from "../support/env.ts";

const ROWS = 20_000;
const LOG = new URL("../../.local/logs/functions.log", import.meta.url);

Deno.test("a 20,000-row backlog drains under the edge runtime limits: each row SENT once, delivered once", async () => {
  const sql = connect();
  const namePrefix = `e2e-backlog-${Date.now()}-`;
  const logFrom = (await Deno.stat(LOG)).size;
  try {
    const [{ id: workflowId }] = await sql<{ id: number }[]>`
      select id from notify.ent_notification_workflow
      where workflow_key = 'default-sms' and enterprise_id is null`;
    const [recipient] = recipientIds(1);
    // One statement, as a bulk import does: the whole backlog is there before the first kick.
    const rows = await sql<{ id: string }[]>`
      insert into notify.ent_notification
        (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients)
      select ${namePrefix} || i, ${ENTERPRISE_A}::uuid, ${workflowId}::bigint, 'PUBLISH',
        jsonb_build_object('body', 'Backlog ' || i), array[${recipient}::uuid]
      from generate_series(1, ${ROWS}::int) as i
      returning id::text`;
    const ids = rows.map((row) => row.id);
    assert.equal(ids.length, ROWS);

    await waitFor(async () => {
      const [{ sent }] = await sql<{ sent: number }[]>`
        select count(*)::integer as sent from notify.ent_notification
        where id = any (${ids}::bigint[]) and notification_status = 'SENT'`;
      return sent === ROWS ? true : undefined;
    }, { what: `all ${ROWS} rows to be SENT`, timeoutMs: 170_000, intervalMs: 1_000 });

    const [{ wrong }] = await sql<{ wrong: number }[]>`
      select count(*)::integer as wrong from (
        select n.id from notify.ent_notification n
        left join notify.notification_status_history h
          on h.notification_id = n.id and h.to_status = 'SENT'
        where n.id = any (${ids}::bigint[])
        group by n.id having count(h.id) <> 1) as rows_not_sent_once`;
    assert.equal(wrong, 0, "every row moved to SENT exactly once");

    const response = await fetch(
      `${EMULATOR_URL}/_emulator/events?transactionIdPrefix=xnovu-&limit=${ROWS * 3}`,
    );
    const events: Json[] = (await response.json()).events;
    const wanted = new Set(ids.map((id) => `xnovu-${id}-0`));
    const perTransaction = new Map<string, number>();
    for (const event of events) {
      if (!wanted.has(event.transactionId)) continue;
      perTransaction.set(event.transactionId, (perTransaction.get(event.transactionId) ?? 0) + 1);
    }
    assert.equal(perTransaction.size, ROWS, "every row reached Novu");
    assert.ok([...perTransaction.values()].every((count) => count === 1), "once each");

    const file = await Deno.open(LOG);
    await file.seek(logFrom, Deno.SeekMode.Start);
    const log = await new Response(file.readable).text();
    const budgetHandOvers = log.split("\n").filter((line) =>
      line.includes('"function":"dispatcher"') && line.includes("drain used its CPU budget")
    ).length;
    const terminated = log.split("\n").filter((line) =>
      line.includes("terminated:")
    );
    console.log(
      `${ROWS} rows: ${budgetHandOvers} drains handed over at their CPU budget; ` +
        `${terminated.length} worker(s) terminated${terminated.length ? `: ${terminated}` : ""}`,
    );
    assert.ok(budgetHandOvers > 0, "the backlog outlasts one drain's CPU budget");
  } finally {
    await sql`delete from notify.ent_notification where name like ${namePrefix + "%"}`;
    await sql.end();
  }
});
