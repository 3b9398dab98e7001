/**
 * Issue 8, downtime: after the scheduler was down, instants missed within the grace window
 * fire once each, late; older ones are recorded as skipped; never a burst of every missed
 * minute. The downtime is a scheduler run at an injected now ten minutes ahead: to that run,
 * the last ten minutes passed without a run.
 */
import assert from "node:assert/strict";
import { connect, recipientIds, uniqueName, withDispatchSettings } from "./support/platform.ts";
import { createRule, deleteRules, firingsOf, runScheduler } from "./support/rules.ts";

const MINUTE_MS = 60_000;
const GRACE_S = 300;
const LOOKAHEAD_S = 60;

Deno.test("after ten minutes of scheduler downtime, the last five minutes fire once each, late; older ones are skipped", async () => {
  const sql = connect();
  const [recipient] = recipientIds(1);
  await withDispatchSettings(
    sql,
    { rules_grace_s: String(GRACE_S), rules_lookahead_s: String(LOOKAHEAD_S) },
    async () => {
      const ruleId = await createRule(sql, {
        name: uniqueName("cron-downtime"),
        workflowKey: "default-sms",
        triggerType: "CRON",
        triggerConfig: { cron: "* * * * *", timezone: "UTC" },
        rulePayload: { payload: { body: "Minute {{fire_at}}" }, recipients: [recipient] },
      });
      try {
        const resumedAt = new Date(Date.now() + 10 * MINUTE_MS);
        await runScheduler(resumedAt);
        const graceStart = resumedAt.getTime() - GRACE_S * 1000;
        const firings = await firingsOf(sql, ruleId);
        const instants = firings.map((firing) => firing.fire_at!.getTime());
        assert.equal(new Set(instants).size, instants.length, "one firing per instant");

        // Whole minutes in [graceStart, resumedAt): missed, but within the grace window.
        const late = firings.filter((firing) =>
          firing.fire_at!.getTime() >= graceStart && firing.fire_at! < resumedAt
        );
        const expectedLate = Math.ceil(resumedAt.getTime() / MINUTE_MS) -
          Math.ceil(graceStart / MINUTE_MS);
        assert.equal(late.length, expectedLate);
        assert.ok(late.every((firing) => firing.outcome === "created"), JSON.stringify(late));

        const skipped = firings.filter((firing) => firing.outcome === "skipped");
        assert.ok(skipped.length >= 1, "instants older than the grace window are recorded");
        for (const firing of skipped) {
          assert.ok(firing.fire_at!.getTime() < graceStart, firing.fire_at!.toISOString());
          assert.match(firing.reason!, /missed: the scheduler did not run within the 300 s grace/);
          assert.equal(firing.notification_id, null);
        }

        // The same resumed run again (an overlapping tick) adds nothing.
        await runScheduler(resumedAt);
        assert.equal((await firingsOf(sql, ruleId)).length, firings.length);
      } finally {
        await deleteRules(sql, [ruleId]);
      }
    },
  );
  await sql.end();
});
