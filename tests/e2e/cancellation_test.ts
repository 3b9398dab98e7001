import assert from "node:assert/strict";
import { assertDeliveredHistory, assertSingleDelivery } from "./support/assertions.ts";
import {
  asMember,
  connect,
  emulatorEvents,
  insertAsMember,
  moves,
  notificationState,
  recipientIds,
  type Sql,
  uniqueName,
  waitFor,
  waitForFinishedEvents,
  waitForStatus,
} from "./support/platform.ts";

/** The platform cancels through the RPC, as a member of the notification's enterprise. */
const cancelAsMember = (sql: Sql, id: number, reason: string) =>
  asMember(sql, (tx) => tx`select notify.cancel_notification(${id}::bigint, ${reason})`);

const cancellationMessages = async (sql: Sql, id: number) =>
  Number(
    (await sql`select count(*)::integer as count from pgmq.q_notification_cancellation
                where (message ->> 'notification_id')::bigint = ${id}`)[0].count,
  );

Deno.test("cancelled before sending: a far-future row becomes RETRACTED and never reaches Novu", async () => {
  const sql = connect();
  try {
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("cancel-before"),
      workflowKey: "default-email",
      payload: { subject: "Next year", body: "Far away" },
      recipients: recipientIds(1),
      scheduledInSeconds: 3600,
    }]);
    await cancelAsMember(sql, id, "plans changed");
    const row = await notificationState(sql, id);
    assert.equal(row.status, "RETRACTED");
    assert.equal(row.transaction_id, null);
    const [retraction] = await sql`
      select retraction_reason, retracted_at from notify.ent_notification where id = ${id}`;
    assert.equal(retraction.retraction_reason, "plans changed");
    assert.ok(retraction.retracted_at instanceof Date);
    assert.deepEqual(await moves(sql, id), ["PENDING->RETRACTED"]);
    assert.equal(await cancellationMessages(sql, id), 0, "nothing at Novu to cancel");
    assert.deepEqual(await emulatorEvents(id), []);
  } finally {
    await sql.end();
  }
});

Deno.test("cancelled after sending: SENT becomes RETRACTED and every Novu event is cancelled", async () => {
  const sql = connect();
  try {
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("cancel-after"),
      workflowKey: "default-in-app",
      payload: { body: "Sent by mistake" },
      // Two chunks, so the cancel must reach both transaction ids.
      recipients: recipientIds(150),
    }]);
    await waitForStatus(sql, id, "SENT");
    await assertDeliveredHistory(sql, id);
    await waitForFinishedEvents(id, 2);

    await cancelAsMember(sql, id, "sent by mistake");
    assert.equal((await notificationState(sql, id)).status, "RETRACTED");
    const cancelled = await waitFor(async () => {
      const events = await emulatorEvents(id);
      return events.every((event) => event.cancelRequestedAt !== undefined) ? events : undefined;
    }, { what: `the emulator to record the cancels of notification ${id}`, timeoutMs: 15_000 });
    assert.deepEqual(
      cancelled.map((event) => event.transactionId).sort(),
      [`xnovu-${id}-0`, `xnovu-${id}-1`],
    );
    const history = await moves(sql, id);
    assert.equal(history.at(-1), "SENT->RETRACTED");
    await waitFor(
      async () => await cancellationMessages(sql, id) === 0 ? true : undefined,
      { what: "the cancellation message to be deleted", timeoutMs: 5_000 },
    );
  } finally {
    await sql.end();
  }
});

Deno.test("a single-chunk notification cancelled after sending: its one event is cancelled", async () => {
  const sql = connect();
  try {
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("cancel-after-one"),
      workflowKey: "default-chat",
      payload: { body: "Wrong building" },
      recipients: recipientIds(1),
    }]);
    await waitForStatus(sql, id, "SENT");
    assertSingleDelivery(await waitForFinishedEvents(id), id);
    await cancelAsMember(sql, id, "wrong building");
    const [event] = await waitFor(async () => {
      const events = await emulatorEvents(id);
      return events[0]?.cancelRequestedAt !== undefined ? events : undefined;
    }, { what: "the emulator to record the cancel", timeoutMs: 15_000 });
    assert.equal(event.transactionId, `xnovu-${id}-0`);
    assert.equal(event.duplicates, 0);
    assert.equal((await notificationState(sql, id)).status, "RETRACTED");
  } finally {
    await sql.end();
  }
});
