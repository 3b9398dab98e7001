import assert from "node:assert/strict";
import { ENTERPRISE_A, FUNCTIONS_URL, KICK_SECRET } from "../support/env.ts";
import { assertDeliveredHistory, assertSingleDelivery } from "./support/assertions.ts";
import {
  asMember,
  connect,
  emulatorEvents,
  insertAsMember,
  invokeTrigger,
  moves,
  notificationState,
  recipientIds,
  type Sql,
  uniqueName,
  waitFor,
  waitForFinishedEvents,
  waitForStatus,
} from "./support/platform.ts";
import { dispatchMessages } from "../support/dispatch-queues.ts";

/** Messages in the intake or, once routed, a lane. */
const queuedMessages = async (sql: Sql, id: number) => (await dispatchMessages(sql, id)).length;

/** Asks the dispatcher to drain now, as the pg_cron sweep does, and lets it finish a round. */
async function drainNow(sql: Sql, probeId: number) {
  const response = await fetch(`${FUNCTIONS_URL}/dispatcher`, {
    method: "POST",
    headers: { authorization: `Bearer ${KICK_SECRET}` },
  });
  assert.equal(response.status, 202);
  await response.body?.cancel();
  // A published probe sent after the kick proves a drain ran past the draft.
  await waitForStatus(sql, probeId, "SENT");
}

Deno.test("a DRAFT row is not sent; publishing it later sends it", async () => {
  const sql = connect();
  try {
    const [recipient] = recipientIds(1);
    const [draftId] = await insertAsMember(sql, [{
      name: uniqueName("draft"),
      workflowKey: "default-email",
      payload: { subject: "Draft notice", body: "Published later" },
      recipients: [recipient],
      publishStatus: "DRAFT",
    }]);
    assert.equal(await queuedMessages(sql, draftId), 0, "a draft has no queue message");
    const [probeId] = await insertAsMember(sql, [{
      name: uniqueName("draft-probe"),
      workflowKey: "default-sms",
      payload: { body: "probe" },
      recipients: [recipient],
    }]);
    await drainNow(sql, probeId);
    const draft = await notificationState(sql, draftId);
    assert.equal(draft.status, "PENDING");
    assert.equal(draft.transaction_id, null);
    assert.deepEqual(await moves(sql, draftId), []);
    assert.deepEqual(await emulatorEvents(draftId), []);

    await asMember(
      sql,
      (tx) =>
        tx`update notify.ent_notification set publish_status = 'PUBLISH' where id = ${draftId}`,
    );
    const row = await waitForStatus(sql, draftId, "SENT");
    assert.equal(row.transaction_id, `xnovu-${draftId}-0`);
    await assertDeliveredHistory(sql, draftId);
    const event = assertSingleDelivery(await waitForFinishedEvents(draftId), draftId);
    assert.deepEqual(event.recipients[0].steps[0].outputs, {
      subject: "Draft notice",
      body: "<p>Published later</p>",
    });
  } finally {
    await sql.end();
  }
});

/**
 * The requirement is "triggered within one dispatcher tick after scheduled_for". After each
 * round the dispatcher arms a kick for the earliest message still hidden in the queue (up to
 * a minute ahead; the pg_cron sweep covers later ones), so a message whose delay ran out is
 * picked up within a second or so; this bound leaves room for the send itself.
 */
const DUE_TO_SENT_MARGIN_MS = 3_000;

Deno.test("scheduled rows (SQL insert and trigger function): not sent before scheduled_for, sent within one tick after", async () => {
  const sql = connect();
  try {
    const [recipient] = recipientIds(1);
    const [sqlId] = await insertAsMember(sql, [{
      name: uniqueName("scheduled-sql"),
      workflowKey: "default-push",
      payload: { subject: "Scheduled", body: "Five seconds later" },
      recipients: [recipient],
      scheduledInSeconds: 5,
    }]);
    const [{ due }] = await sql<{ due: Date }[]>`select now() + interval '5 seconds' as due`;
    const response = await invokeTrigger({
      enterprise_id: ENTERPRISE_A,
      workflow_key: "default-push",
      recipients: [recipient],
      payload: { subject: "Scheduled", body: "Through the trigger function" },
      scheduled_for: due.toISOString(),
      name: uniqueName("scheduled-trigger"),
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const ids = [sqlId, Number(response.body.id)];

    // Until it is due: PENDING, untouched, nothing at Novu (checked until just before it).
    const scheduledFor = new Map<number, Date>();
    for (const id of ids) scheduledFor.set(id, (await notificationState(sql, id)).scheduled_for!);
    const firstDue = Math.min(...[...scheduledFor.values()].map((date) => date.getTime()));
    while (Date.now() < firstDue - 500) {
      for (const id of ids) {
        assert.equal((await notificationState(sql, id)).status, "PENDING");
        assert.deepEqual(await emulatorEvents(id), [], `notification ${id} sent before it was due`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    for (const id of ids) {
      const due = scheduledFor.get(id)!.getTime();
      const row = await waitForStatus(
        sql,
        id,
        "SENT",
        due + DUE_TO_SENT_MARGIN_MS - Date.now(),
      );
      await assertDeliveredHistory(sql, id);
      const event = assertSingleDelivery(await waitForFinishedEvents(id), id);
      assert.ok(event.acceptedAt >= due, `notification ${id} reached Novu before scheduled_for`);
      assert.ok(row.processed_at!.getTime() >= due, `notification ${id} processed before due`);
      console.log(
        `scheduled notification ${id}: reached Novu ${
          event.acceptedAt - due
        } ms after scheduled_for`,
      );
    }
  } finally {
    await sql.end();
  }
});

Deno.test("a scheduled row moved earlier is sent at the new time, once", async () => {
  const sql = connect();
  try {
    const [recipient] = recipientIds(1);
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("rescheduled"),
      workflowKey: "default-push",
      payload: { subject: "Rescheduled", body: "Moved from 150 s to 3 s" },
      recipients: [recipient],
      scheduledInSeconds: 150,
    }]);
    const [{ due }] = await asMember(
      sql,
      (tx) =>
        tx<{ due: Date }[]>`update notify.ent_notification
                             set scheduled_for = now() + interval '3 seconds'
                           where id = ${id} returning scheduled_for as due`,
    );
    // Far below the original 150 s, with room for a busy machine.
    const row = await waitForStatus(sql, id, "SENT", due.getTime() + 30_000 - Date.now());
    await assertDeliveredHistory(sql, id);
    const event = assertSingleDelivery(await waitForFinishedEvents(id), id);
    assert.ok(event.acceptedAt >= due.getTime(), "reached Novu before the new scheduled_for");
    assert.ok(row.processed_at!.getTime() >= due.getTime());
    await waitFor(async () => (await queuedMessages(sql, id)) === 0 ? true : undefined, {
      what: `notification ${id}'s queue message to be deleted`,
      timeoutMs: 10_000,
    });
    console.log(
      `rescheduled notification ${id}: reached Novu ${
        event.acceptedAt - due.getTime()
      } ms after the new scheduled_for`,
    );
  } finally {
    await sql.end();
  }
});

Deno.test("waitFor gives up at its deadline with what it waited for", async () => {
  const started = Date.now();
  await assert.rejects(
    waitFor(() => Promise.resolve(undefined), { what: "nothing", timeoutMs: 200, intervalMs: 50 }),
    /timed out after 200 ms waiting for nothing/,
  );
  assert.ok(Date.now() - started < 1_000);
});
