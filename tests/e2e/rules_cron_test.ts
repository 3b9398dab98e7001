import assert from "node:assert/strict";
import { localIsoString } from "../../shared/rules/schedule.ts";
import { assertSingleDelivery } from "./support/assertions.ts";
import {
  connect,
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
  runScheduler,
  secondsAhead,
} from "./support/rules.ts";

/** A six-field cron expression that matches exactly `instant`'s wall time in `timezone` (once a year). */
function cronAt(instant: Date, timezone: string): string {
  const [date, time] = localIsoString(instant, timezone).split("T");
  const [, month, day] = date.split("-").map(Number);
  const [hour, minute, second] = time.slice(0, 8).split(":").map(Number);
  return `${second} ${minute} ${hour} ${day} ${month} *`;
}

Deno.test("a CRON rule fires once, at its instant, however often the scheduler runs", async () => {
  const sql = connect();
  const instant = secondsAhead(6);
  const [recipient] = recipientIds(1);
  const ruleId = await createRule(sql, {
    name: uniqueName("cron"),
    workflowKey: "default-sms",
    triggerType: "CRON",
    triggerConfig: { cron: cronAt(instant, "America/New_York"), timezone: "America/New_York" },
    rulePayload: {
      payload: { body: "Inspection at {{fire_at_local}} ({{rule.name}})" },
      recipients: [recipient],
    },
  });
  try {
    // The insert kicked the scheduler already; two overlapping runs and a later one add nothing.
    await Promise.all([runScheduler(), runScheduler()]);
    await runScheduler();

    const [notification, ...others] = await ruleNotifications(sql, ruleId);
    assert.equal(others.length, 0, "one notification for the instant");
    assert.equal(notification.scheduled_for?.toISOString(), instant.toISOString());
    assert.match(
      notification.payload.body,
      /^Inspection at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00 \(e2e-cron-/,
    );
    const firings = await firingsOf(sql, ruleId);
    assert.deepEqual(firings.map((firing) => [firing.outcome, firing.fire_at?.toISOString()]), [
      ["created", instant.toISOString()],
    ]);

    const sent = await waitForStatus(sql, notification.id, "SENT", 30_000);
    assert.ok(sent.processed_at! >= instant, "not sent before its instant");
    assertSingleDelivery(await waitForFinishedEvents(notification.id), notification.id);
  } finally {
    await deleteRules(sql, [ruleId]);
    await sql.end();
  }
});

Deno.test("a run at an injected now far in the future materialises that day's firing, DST-correct", async () => {
  const sql = connect();
  const [recipient] = recipientIds(1);
  const ruleId = await createRule(sql, {
    name: uniqueName("cron-dst"),
    workflowKey: "default-sms",
    triggerType: "CRON",
    triggerConfig: { cron: "30 2 * * *", timezone: "Europe/Berlin" },
    rulePayload: { payload: { body: "Night check {{fire_at_local}}" }, recipients: [recipient] },
  });
  try {
    // 02:30 does not exist in Berlin on 2027-03-28: the firing is at 03:00 CEST (01:00Z).
    const body = await runScheduler(new Date("2027-03-28T00:59:30Z"));
    assert.ok(body.outcomes.created >= 1, JSON.stringify(body.outcomes));
    const notifications = await ruleNotifications(sql, ruleId);
    assert.deepEqual(
      notifications.map((n) => [n.scheduled_for?.toISOString(), n.payload.body, n.status]),
      [["2027-03-28T01:00:00.000Z", "Night check 2027-03-28T03:00:00+02:00", "PENDING"]],
    );
  } finally {
    await deleteRules(sql, [ruleId]);
    await sql.end();
  }
});
