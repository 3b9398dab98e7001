import assert from "node:assert/strict";
import { assertSingleDelivery } from "./support/assertions.ts";
import {
  connect,
  recipientIds,
  uniqueName,
  waitFor,
  waitForFinishedEvents,
  waitForStatus,
} from "./support/platform.ts";
import {
  createRule,
  deleteRules,
  firingsOf,
  ruleNotifications,
  runScheduler,
  secondsAhead,
} from "./support/rules.ts";

Deno.test("a SCHEDULE rule fires each of its instants once; an instant already past at publish never fires", async () => {
  const sql = connect();
  const soon = secondsAhead(5);
  const past = new Date(Date.now() - 60_000);
  const [recipient] = recipientIds(1);
  const ruleId = await createRule(sql, {
    name: uniqueName("schedule"),
    workflowKey: "default-sms",
    triggerType: "SCHEDULE",
    triggerConfig: { at: [soon.toISOString(), past.toISOString().slice(0, 19) + "Z"] },
    rulePayload: { payload: { body: "Move-in at {{fire_at}}" }, recipients: [recipient] },
  });
  try {
    // The rule's insert kicked the scheduler: the firing appears without an explicit run.
    const [notification] = await waitFor(async () => {
      const found = await ruleNotifications(sql, ruleId);
      return found.length > 0 ? found : undefined;
    }, { what: "the kicked scheduler to materialise the firing", timeoutMs: 15_000 });
    await runScheduler();
    assert.equal((await ruleNotifications(sql, ruleId)).length, 1, "one notification in all");
    assert.equal(notification.scheduled_for?.toISOString(), soon.toISOString());
    assert.equal(notification.payload.body, `Move-in at ${soon.toISOString()}`);
    assert.deepEqual((await firingsOf(sql, ruleId)).map((firing) => firing.outcome), ["created"]);

    await waitForStatus(sql, notification.id, "SENT", 30_000);
    assertSingleDelivery(await waitForFinishedEvents(notification.id), notification.id);
  } finally {
    await deleteRules(sql, [ruleId]);
    await sql.end();
  }
});
