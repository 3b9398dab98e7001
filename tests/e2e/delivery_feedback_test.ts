import assert from "node:assert/strict";
import { ENTERPRISE_B } from "../support/env.ts";
import { messageEventBody, postSignedWebhook } from "../support/novu-webhook.ts";
import {
  asMember,
  clearFaults,
  connect,
  insertAsMember,
  moves,
  notificationState,
  recipientIds,
  setFaults,
  type Sql,
  uniqueName,
  waitFor,
  waitForStatus,
} from "./support/platform.ts";

interface DeliveryRow {
  event_type: string;
  subscriber_id: string;
  channel: string;
  step_id: string;
  transaction_id: string;
  error_message: string | null;
}

function deliveryEvents(sql: Sql, id: number): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`
    select event_type, subscriber_id, channel::text as channel, step_id, transaction_id,
           error_message
      from notify.delivery_event where notification_id = ${id}
     order by subscriber_id, channel, event_type`;
}

function waitForDeliveryEvents(sql: Sql, id: number, count: number): Promise<DeliveryRow[]> {
  return waitFor(async () => {
    const rows = await deliveryEvents(sql, id);
    return rows.length >= count ? rows : undefined;
  }, { what: `${count} delivery events of notification ${id}`, timeoutMs: 60_000 });
}

Deno.test("Novu's delivered messages are recorded per recipient and channel, the row stays SENT", async () => {
  const sql = connect();
  try {
    const recipients = recipientIds(2);
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("delivered"),
      workflowKey: "default-multi-channel",
      payload: { subject: "Water off", body: "Tuesday 9-12" },
      recipients,
      channels: ["EMAIL", "SMS"],
    }]);
    await waitForStatus(sql, id, "SENT");
    const rows = await waitForDeliveryEvents(sql, id, 8);
    const expected = recipients.sort().flatMap((subscriber) =>
      ["EMAIL", "SMS"].flatMap((channel) =>
        ["message.delivered", "message.sent"].map((type) => `${subscriber} ${channel} ${type}`)
      )
    );
    assert.deepEqual(
      rows.map((row) => `${row.subscriber_id} ${row.channel} ${row.event_type}`),
      expected,
    );
    assert.ok(rows.every((row) => row.transaction_id === `xnovu-${id}-0`));
    assert.equal((await notificationState(sql, id)).status, "SENT");
    assert.deepEqual(await moves(sql, id), ["PENDING->PROCESSING", "PROCESSING->SENT"]);

    const seen = (enterprise?: string) =>
      asMember(sql, async (tx) => {
        const [row] = await tx<{ n: number }[]>`
          select count(*)::int as n from notify.delivery_event where notification_id = ${id}`;
        return row.n;
      }, enterprise);
    assert.equal(await seen(), 8, "a member of the enterprise reads them");
    assert.equal(await seen(ENTERPRISE_B), 0, "a member of another enterprise reads none");
  } finally {
    await sql.end();
  }
});

Deno.test("a message Novu failed fails the SENT notification, naming channel and reason", async () => {
  const sql = connect();
  try {
    await setFaults({ failChannels: ["sms"] });
    const [recipient] = recipientIds(1);
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("failed"),
      workflowKey: "default-multi-channel",
      payload: { subject: "Lift B", body: "Out of service" },
      recipients: [recipient],
      channels: ["EMAIL", "SMS"],
    }]);
    const state = await waitFor(async () => {
      const current = await notificationState(sql, id);
      return current.status === "FAILED" ? current : undefined;
    }, { what: `notification ${id} to fail`, timeoutMs: 60_000 });
    assert.equal(state.error_details.kind, "novu_delivery_failed");
    assert.match(state.error_details.message, /sms message to subscriber .* provider refused/);
    assert.equal(state.error_details.delivery_event.event_type, "message.failed");
    assert.equal(state.error_details.delivery_event.subscriber_id, recipient);
    assert.deepEqual(await moves(sql, id), [
      "PENDING->PROCESSING",
      "PROCESSING->SENT",
      "SENT->FAILED",
    ]);
    const rows = await waitForDeliveryEvents(sql, id, 3);
    assert.deepEqual(rows.map((row) => `${row.channel} ${row.event_type}`), [
      "EMAIL message.delivered",
      "EMAIL message.sent",
      "SMS message.failed",
    ]);
    assert.match(rows[2].error_message ?? "", /sms provider refused/);
    assert.equal((await notificationState(sql, id)).status, "FAILED", "delivered did not undo it");
  } finally {
    await clearFaults();
    await sql.end();
  }
});

Deno.test("forged, stale and replayed webhooks are refused with 401 and store nothing", async () => {
  const sql = connect();
  try {
    const [recipient] = recipientIds(1);
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("forged"),
      workflowKey: "default-in-app",
      payload: { subject: "Hello", body: "World" },
      recipients: [recipient],
    }]);
    await waitForStatus(sql, id, "SENT");
    const run = crypto.randomUUID().slice(0, 8);
    const failed = (eventId: string) =>
      messageEventBody({
        eventId,
        type: "message.failed",
        transactionId: `xnovu-${id}-0`,
        subscriberId: recipient,
        channel: "in_app",
        error: "forged failure",
      });
    const answers: Array<[string, Response]> = [
      [
        "forged",
        await postSignedWebhook(failed(`evt_forged_${run}`), {
          svixId: `msg_forged_${run}`,
          secret: "whsec_" + btoa("an attacker's guess at the secret"),
        }),
      ],
      [
        "stale",
        await postSignedWebhook(failed(`evt_stale_${run}`), {
          svixId: `msg_stale_${run}`,
          at: new Date(Date.now() - 10 * 60_000),
        }),
      ],
    ];
    const genuine = messageEventBody({
      eventId: `evt_genuine_${run}`,
      type: "message.seen",
      transactionId: `xnovu-${id}-0`,
      subscriberId: recipient,
      channel: "in_app",
    });
    const accepted = await postSignedWebhook(genuine, { svixId: `msg_genuine_${run}` });
    assert.equal(accepted.status, 200, await accepted.clone().text());
    await accepted.body?.cancel();
    answers.push([
      "replayed",
      await postSignedWebhook(genuine, { svixId: `msg_genuine_${run}` }),
    ]);
    for (const [what, response] of answers) {
      assert.equal(response.status, 401, what);
      const body = await response.json();
      assert.equal(typeof body.error, "string", what);
      assert.equal(typeof body.message, "string", what);
    }
    const stored = await sql<{ event_id: string }[]>`
      select event_id from notify.delivery_event where event_id like ${`%_${run}`}`;
    assert.deepEqual(stored.map((row) => row.event_id), [`evt_genuine_${run}`]);
    assert.equal((await notificationState(sql, id)).status, "SENT", "no forged failure landed");
  } finally {
    await sql.end();
  }
});
