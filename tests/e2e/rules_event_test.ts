import assert from "node:assert/strict";
import { ENTERPRISE_B } from "../support/env.ts";
import { assertSingleDelivery } from "./support/assertions.ts";
import {
  connect,
  invokeAsMember,
  recipientIds,
  uniqueName,
  waitForFinishedEvents,
  waitForStatus,
} from "./support/platform.ts";
import {
  createRule,
  deleteRules,
  firingsOf,
  ruleNotifications,
  waitForMatched,
} from "./support/rules.ts";

Deno.test("EVENT rules: conditions true fire once, false do not, a duplicate is accepted once, another enterprise's event never fires", async () => {
  const sql = connect();
  const eventName = `door.forced_open.${crypto.randomUUID().slice(0, 8)}`;
  const [recipient] = recipientIds(1);
  const ruleId = await createRule(sql, {
    name: uniqueName("event"),
    workflowKey: "default-sms",
    triggerType: "EVENT",
    triggerConfig: { event: eventName, conditions: { "==": [{ var: "event.payload.floor" }, 3] } },
    rulePayload: {
      payload: { body: "{{event.payload.doorName}} forced open ({{rule.name}})" },
      recipients: { event_path: "payload.residentIds" },
    },
  });
  try {
    const matching = await invokeAsMember("events", {
      enterprise_id: "11111111-1111-4111-8111-111111111111",
      event: eventName,
      payload: { doorName: "North gate", floor: 3, residentIds: [recipient] },
      dedup_key: `north-gate-${eventName}`,
    });
    assert.equal(matching.status, 202, JSON.stringify(matching.body));
    const eventId = matching.body.id;

    const duplicate = await invokeAsMember("events", {
      enterprise_id: "11111111-1111-4111-8111-111111111111",
      event: eventName,
      payload: { doorName: "North gate", floor: 3, residentIds: [recipient] },
      dedup_key: `north-gate-${eventName}`,
    });
    assert.deepEqual(
      [duplicate.status, duplicate.body],
      [202, { id: eventId }],
      "a duplicate answers the first id",
    );

    const other = await invokeAsMember("events", {
      enterprise_id: "11111111-1111-4111-8111-111111111111",
      event: eventName,
      payload: { doorName: "Side door", floor: 4, residentIds: [recipient] },
    });
    assert.equal(other.status, 202);

    // The same event name in enterprise B, emitted by B's member.
    const foreign = await invokeAsMember("events", {
      enterprise_id: ENTERPRISE_B,
      event: eventName,
      payload: { doorName: "B's gate", floor: 3, residentIds: [recipient] },
    }, ENTERPRISE_B);
    assert.equal(foreign.status, 202);

    assert.equal((await waitForMatched(sql, eventId)).matched_rules, 1);
    assert.equal((await waitForMatched(sql, other.body.id)).matched_rules, 0, "conditions false");
    assert.equal((await waitForMatched(sql, foreign.body.id)).matched_rules, 0, "B's event");

    const notifications = await ruleNotifications(sql, ruleId);
    assert.equal(notifications.length, 1, "one notification: the matching event, once");
    assert.match(notifications[0].payload.body, /^North gate forced open \(e2e-event-/);
    assert.deepEqual(
      (await firingsOf(sql, ruleId)).map((firing) => [firing.outcome, firing.event_id]),
      [["created", eventId]],
    );
    await waitForStatus(sql, notifications[0].id, "SENT", 30_000);
    assertSingleDelivery(await waitForFinishedEvents(notifications[0].id), notifications[0].id);
  } finally {
    await deleteRules(sql, [ruleId]);
    await sql.end();
  }
});

Deno.test("POST /events refuses another enterprise (403) and a malformed name (400)", async () => {
  const forbidden = await invokeAsMember("events", {
    enterprise_id: ENTERPRISE_B,
    event: "door.x",
  });
  assert.deepEqual([forbidden.status, forbidden.body.error], [403, "FORBIDDEN"]);
  const malformed = await invokeAsMember("events", {
    enterprise_id: "11111111-1111-4111-8111-111111111111",
    event: "door forced open",
  });
  assert.equal(malformed.status, 400);
  assert.match(malformed.body.message, /^event_name: 'door forced open' is not an event name/);
});
