import assert from "node:assert/strict";
import { MAX_SKIPPED_RECORDED_PER_RULE, planFirings } from "./plan.ts";
import type { TimedTrigger } from "./schedule.ts";

const everyMinute: TimedTrigger = { type: "CRON", config: { cron: "* * * * *" } };
const settings = { lookaheadMs: 120_000, graceMs: 300_000 };
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const at = (value: string) => new Date(value);

Deno.test("a new rule: firings due within the look-ahead, none before its version", () => {
  const plan = planFirings(
    { trigger: everyMinute, version: at("2027-01-01T10:00:30Z"), lastPlanned: null },
    at("2027-01-01T10:00:40Z"),
    settings,
  );
  assert.deepEqual(iso(plan.due), ["2027-01-01T10:01:00.000Z", "2027-01-01T10:02:00.000Z"]);
  assert.deepEqual(plan.missed, []);
});

Deno.test("the next run continues after the last planned instant, never repeating it", () => {
  const plan = planFirings(
    {
      trigger: everyMinute,
      version: at("2027-01-01T10:00:30Z"),
      lastPlanned: at("2027-01-01T10:02:00Z"),
    },
    at("2027-01-01T10:01:40Z"),
    settings,
  );
  assert.deepEqual(iso(plan.due), ["2027-01-01T10:03:00.000Z"]);
});

Deno.test("after downtime: instants within the grace window fire late once each, older ones are skipped", () => {
  const plan = planFirings(
    {
      trigger: everyMinute,
      version: at("2027-01-01T09:00:00Z"),
      lastPlanned: at("2027-01-01T10:00:00Z"),
    },
    at("2027-01-01T10:10:30Z"),
    settings,
  );
  // Grace starts at 10:05:30: 10:01..10:05 were missed for good; 10:06..10:10 fire late.
  assert.deepEqual(iso(plan.missed), [
    "2027-01-01T10:01:00.000Z",
    "2027-01-01T10:02:00.000Z",
    "2027-01-01T10:03:00.000Z",
    "2027-01-01T10:04:00.000Z",
    "2027-01-01T10:05:00.000Z",
  ]);
  assert.deepEqual(iso(plan.due), [
    "2027-01-01T10:06:00.000Z",
    "2027-01-01T10:07:00.000Z",
    "2027-01-01T10:08:00.000Z",
    "2027-01-01T10:09:00.000Z",
    "2027-01-01T10:10:00.000Z",
    "2027-01-01T10:11:00.000Z",
    "2027-01-01T10:12:00.000Z",
  ]);
});

Deno.test("a long downtime records a bounded number of skipped instants, the latest ones", () => {
  const plan = planFirings(
    {
      trigger: everyMinute,
      version: at("2027-01-01T00:00:00Z"),
      lastPlanned: at("2027-01-01T00:00:00Z"),
    },
    at("2027-01-01T12:00:00Z"),
    settings,
  );
  assert.equal(plan.missed.length, MAX_SKIPPED_RECORDED_PER_RULE);
  assert.equal(plan.missed.at(-1)!.toISOString(), "2027-01-01T11:55:00.000Z");
  assert.equal(plan.due[0].toISOString(), "2027-01-01T11:56:00.000Z");
});

Deno.test("a rule published later starts from its next instant, not its missed past ones", () => {
  const trigger: TimedTrigger = { type: "SCHEDULE", config: { at: "2027-01-01T10:00:00Z" } };
  const plan = planFirings(
    { trigger, version: at("2027-01-01T10:00:01Z"), lastPlanned: null },
    at("2027-01-01T10:00:02Z"),
    settings,
  );
  assert.deepEqual(plan, { due: [], missed: [] });
});
