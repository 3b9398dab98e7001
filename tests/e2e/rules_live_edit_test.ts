import assert from "node:assert/strict";
import { asMember, connect, recipientIds, uniqueName, waitFor } from "./support/platform.ts";
import {
  createRule,
  deleteRules,
  firingsOf,
  ruleNotifications,
  runScheduler,
  secondsAhead,
} from "./support/rules.ts";

Deno.test("a live edit retracts the future firing and materialises the new version once", async () => {
  const sql = connect();
  const instant = secondsAhead(90);
  const [recipient] = recipientIds(1);
  const ruleId = await createRule(sql, {
    name: uniqueName("edit"),
    workflowKey: "default-sms",
    triggerType: "SCHEDULE",
    triggerConfig: { at: instant.toISOString() },
    rulePayload: { payload: { body: "Old text" }, recipients: [recipient] },
  });
  try {
    await runScheduler();
    const [before] = await ruleNotifications(sql, ruleId);
    assert.equal(before.status, "PENDING");

    await asMember(sql, (tx) =>
      tx`update notify.ent_notification_rule
            set rule_payload = jsonb_set(rule_payload, '{payload,body}', '"New text"')
          where id = ${ruleId}`);
    // The edit kicked the scheduler; a run of our own must not add a second one either.
    const after = await waitFor(async () => {
      const found = await ruleNotifications(sql, ruleId);
      return found.length === 2 ? found : undefined;
    }, { what: "the new version to be materialised", timeoutMs: 15_000 });
    await runScheduler();

    const notifications = await ruleNotifications(sql, ruleId);
    assert.deepEqual(
      notifications.map((n) => [n.status, n.payload.body, n.scheduled_for?.toISOString()]),
      [["RETRACTED", "Old text", instant.toISOString()], [
        "PENDING",
        "New text",
        instant.toISOString(),
      ]],
    );
    assert.equal(
      after[0].retraction_reason,
      `rule ${ruleId} "${await ruleName(ruleId)}" changed (rule_payload)`,
    );
    assert.deepEqual((await firingsOf(sql, ruleId)).map((firing) => firing.outcome), [
      "retracted",
      "created",
    ]);

    await asMember(
      sql,
      (tx) => tx`update notify.ent_notification_rule set deactivated = true where id = ${ruleId}`,
    );
    const [, deactivated] = await ruleNotifications(sql, ruleId);
    assert.equal(deactivated.status, "RETRACTED", "deactivating retracts the new one too");
  } finally {
    await deleteRules(sql, [ruleId]);
    await sql.end();
  }

  async function ruleName(id: number): Promise<string> {
    const [row] = await sql<
      { name: string }[]
    >`select name from notify.ent_notification_rule where id = ${id}`;
    return row.name;
  }
});
