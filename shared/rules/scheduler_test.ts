import assert from "node:assert/strict";
import type { FiringRecord } from "./firing.ts";
import { DEFAULT_PLAN_SETTINGS } from "./plan.ts";
import { recordInBatches } from "./record.ts";
import { runScheduler, type TimedRule, timedRuleFirings } from "./scheduler.ts";
import { RESIDENT, ruleDefinition, validatePayload } from "./test_support.ts";

function weeklyRule(overrides: Partial<TimedRule> = {}): TimedRule {
  return {
    ...ruleDefinition({
      version: "2027-03-22T00:00:00.000000Z",
      rulePayload: {
        payload: { doorName: "Inspection {{fire_at_local}} ({{rule.name}})" },
        recipients: [RESIDENT],
      },
    }),
    trigger: { type: "CRON", config: { cron: "0 9 * * 1", timezone: "Europe/Berlin" } },
    lastPlanned: null,
    ...overrides,
  };
}

Deno.test("a CRON firing carries its exact instant and the local time in its payload", () => {
  const firings = timedRuleFirings(
    weeklyRule(),
    new Date("2027-03-29T06:59:00Z"),
    DEFAULT_PLAN_SETTINGS,
    validatePayload,
  );
  assert.deepEqual(firings.map((firing) => [firing.fire_at, firing.payload]), [[
    "2027-03-29T07:00:00.000Z",
    { doorName: "Inspection 2027-03-29T09:00:00+02:00 (Door forced open)" },
  ]]);
});

Deno.test("an expression croner refuses is one failed firing keyed on the rule version", () => {
  const rule = weeklyRule({
    trigger: { type: "CRON", config: { cron: "0 9 * * 1", timezone: "Nowhere/Land" } },
  });
  const firings = timedRuleFirings(
    rule,
    new Date("2027-03-29T06:59:00Z"),
    DEFAULT_PLAN_SETTINGS,
    validatePayload,
  );
  assert.equal(firings.length, 1);
  assert.equal(firings[0].fire_at, rule.version);
  assert.equal(firings[0].outcome, "failed");
  assert.match(firings[0].reason!, /^trigger_config: /);
});

Deno.test("missed instants are recorded as skipped with the grace window in the reason", () => {
  const rule = weeklyRule({
    trigger: { type: "CRON", config: { cron: "* * * * *" } },
    version: "2027-03-29T06:00:00.000000Z",
    lastPlanned: new Date("2027-03-29T06:00:00Z"),
  });
  const firings = timedRuleFirings(
    rule,
    new Date("2027-03-29T06:07:30Z"),
    DEFAULT_PLAN_SETTINGS,
    validatePayload,
  );
  const skipped = firings.filter((firing) => firing.outcome === "skipped");
  assert.deepEqual(skipped.map((firing) => firing.fire_at), [
    "2027-03-29T06:01:00.000Z",
    "2027-03-29T06:02:00.000Z",
  ]);
  assert.match(skipped[0].reason!, /300 s grace window/);
});

Deno.test("a run records every rule's firings, one bad batch falling back to one firing at a time", async () => {
  const calls: number[] = [];
  const record = (firings: FiringRecord[]) => {
    calls.push(firings.length);
    if (firings.length > 1) return Promise.reject(new Error("one bad firing"));
    return Promise.resolve([{
      rule_id: firings[0].rule_id,
      fire_at: firings[0].fire_at!,
      event_id: null,
      firing_id: 1,
      outcome: "created" as const,
      reason: null,
    }]);
  };
  const results = await runScheduler(
    {
      loadTimedRules: () => Promise.resolve([weeklyRule({ id: 1 }), weeklyRule({ id: 2 })]),
      recordFirings: record,
      validatePayload,
      log: () => {},
    },
    new Date("2027-03-29T06:59:00Z"),
    DEFAULT_PLAN_SETTINGS,
  );
  assert.deepEqual(calls, [2, 1, 1]);
  assert.deepEqual(results.map((result) => result.rule_id), [1, 2]);
});

Deno.test("recordInBatches splits large runs into calls of at most 500 firings", async () => {
  const sizes: number[] = [];
  const firings = Array.from({ length: 1_001 }, (_, i): FiringRecord => ({
    rule_id: i,
    rule_version: "v",
    fire_at: "2027-01-01T00:00:00Z",
  }));
  await recordInBatches(
    (batch) => {
      sizes.push(batch.length);
      return Promise.resolve([]);
    },
    firings,
    () => {},
  );
  assert.deepEqual(sizes, [500, 500, 1]);
});
