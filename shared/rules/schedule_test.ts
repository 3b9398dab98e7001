import assert from "node:assert/strict";
import { instantsBetween, localIsoString, type TimedTrigger, wallTimeInstant } from "./schedule.ts";

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const cron = (expression: string, timezone: string): TimedTrigger => ({
  type: "CRON",
  config: { cron: expression, timezone },
});
const between = (trigger: TimedTrigger, after: string, until: string, limit = 10) =>
  iso(instantsBetween(trigger, new Date(after), new Date(until), limit));

// Europe/Berlin 2027: CET -> CEST on 28 March at 02:00 (01:00Z), CEST -> CET on 31 October at
// 03:00 (01:00Z). America/New_York 2027: EST -> EDT on 14 March at 02:00 (07:00Z), EDT -> EST
// on 7 November at 02:00 (06:00Z).

Deno.test("Berlin: a daily 02:30 in the spring-forward gap fires once, at 03:00 CEST", () => {
  assert.deepEqual(
    between(cron("30 2 * * *", "Europe/Berlin"), "2027-03-27T00:00:00Z", "2027-03-29T12:00:00Z"),
    ["2027-03-27T01:30:00.000Z", "2027-03-28T01:00:00.000Z", "2027-03-29T00:30:00.000Z"],
  );
});

Deno.test("Berlin: a daily 02:30 that occurs twice on the fall-back day fires once, at the first", () => {
  assert.deepEqual(
    between(cron("30 2 * * *", "Europe/Berlin"), "2027-10-30T12:00:00Z", "2027-11-01T12:00:00Z"),
    ["2027-10-31T00:30:00.000Z", "2027-11-01T01:30:00.000Z"],
  );
});

Deno.test("Berlin: 0 9 * * * stays at 09:00 local across both 2027 changes", () => {
  for (
    const [after, until] of [["2027-03-26T12:00:00Z", "2027-03-29T12:00:00Z"], [
      "2027-10-29T12:00:00Z",
      "2027-11-01T12:00:00Z",
    ]]
  ) {
    const instants = instantsBetween(
      cron("0 9 * * *", "Europe/Berlin"),
      new Date(after),
      new Date(until),
      10,
    );
    assert.equal(instants.length, 3);
    for (const instant of instants) {
      assert.match(localIsoString(instant, "Europe/Berlin"), /T09:00:00\+0[12]:00$/);
    }
    // The UTC hour moves by one across the change.
    assert.notEqual(instants[0].getUTCHours(), instants[2].getUTCHours());
  }
});

Deno.test("New York: a daily 02:30 in the spring-forward gap fires once, at 03:00 EDT", () => {
  assert.deepEqual(
    between(cron("30 2 * * *", "America/New_York"), "2027-03-13T12:00:00Z", "2027-03-15T12:00:00Z"),
    ["2027-03-14T07:00:00.000Z", "2027-03-15T06:30:00.000Z"],
  );
});

Deno.test("New York: a daily 01:30 that occurs twice on the fall-back day fires once, at the first", () => {
  assert.deepEqual(
    between(cron("30 1 * * *", "America/New_York"), "2027-11-06T12:00:00Z", "2027-11-08T12:00:00Z"),
    ["2027-11-07T05:30:00.000Z", "2027-11-08T06:30:00.000Z"],
  );
});

Deno.test("New York: 0 9 * * 1 (Mondays) stays at 09:00 local across the March change", () => {
  const instants = instantsBetween(
    cron("0 9 * * 1", "America/New_York"),
    new Date("2027-03-01T00:00:00Z"),
    new Date("2027-03-23T00:00:00Z"),
    10,
  );
  assert.deepEqual(iso(instants), [
    "2027-03-01T14:00:00.000Z",
    "2027-03-08T14:00:00.000Z",
    "2027-03-15T13:00:00.000Z",
    "2027-03-22T13:00:00.000Z",
  ]);
});

Deno.test("interval jobs follow elapsed time: */30 runs through the repeated Berlin hour", () => {
  assert.deepEqual(
    between(cron("*/30 * * * *", "Europe/Berlin"), "2027-10-31T00:00:00Z", "2027-10-31T02:00:00Z"),
    [
      "2027-10-31T00:30:00.000Z",
      "2027-10-31T01:00:00.000Z",
      "2027-10-31T01:30:00.000Z",
      "2027-10-31T02:00:00.000Z",
    ],
  );
});

Deno.test("without a timezone a rule is evaluated in UTC", () => {
  assert.deepEqual(
    iso(instantsBetween(
      { type: "CRON", config: { cron: "0 9 * * *" } },
      new Date("2027-03-27T00:00:00Z"),
      new Date("2027-03-29T00:00:00Z"),
      10,
    )),
    ["2027-03-27T09:00:00.000Z", "2027-03-28T09:00:00.000Z"],
  );
});

Deno.test("a six-field expression has seconds", () => {
  assert.deepEqual(
    between(
      { type: "CRON", config: { cron: "*/20 * * * * *" } },
      "2027-01-01T00:00:00Z",
      "2027-01-01T00:01:00Z",
    ),
    ["2027-01-01T00:00:20.000Z", "2027-01-01T00:00:40.000Z", "2027-01-01T00:01:00.000Z"],
  );
});

Deno.test("start_at and end_at bound a cron schedule (wall times in its zone)", () => {
  const trigger: TimedTrigger = {
    type: "CRON",
    config: {
      cron: "0 12 * * *",
      timezone: "Europe/Berlin",
      start_at: "2027-06-02T00:00:00",
      end_at: "2027-06-03T12:00:00",
    },
  };
  assert.deepEqual(
    between(trigger, "2027-06-01T00:00:00Z", "2027-06-10T00:00:00Z"),
    ["2027-06-02T10:00:00.000Z", "2027-06-03T10:00:00.000Z"],
  );
});

Deno.test("the limit bounds how many instants one call returns", () => {
  assert.equal(
    instantsBetween(
      { type: "CRON", config: { cron: "* * * * * *" } },
      new Date("2027-01-01T00:00:00Z"),
      new Date("2027-01-02T00:00:00Z"),
      5,
    ).length,
    5,
  );
});

Deno.test("SCHEDULE wall times: a gap time is the first instant after the gap, a repeated one its first", () => {
  assert.equal(
    wallTimeInstant("2027-03-28T02:30:00", "Europe/Berlin").toISOString(),
    "2027-03-28T01:00:00.000Z",
  );
  assert.equal(
    wallTimeInstant("2027-10-31T02:30:00", "Europe/Berlin").toISOString(),
    "2027-10-31T00:30:00.000Z",
  );
  assert.equal(
    wallTimeInstant("2027-03-14T02:30:00", "America/New_York").toISOString(),
    "2027-03-14T07:00:00.000Z",
  );
  assert.equal(
    wallTimeInstant("2027-11-07T01:30:00", "America/New_York").toISOString(),
    "2027-11-07T05:30:00.000Z",
  );
  assert.equal(
    wallTimeInstant("2027-01-15T10:00", "America/New_York").toISOString(),
    "2027-01-15T15:00:00.000Z",
  );
});

Deno.test("SCHEDULE: an instant with an offset is absolute; each listed instant fires once, in order", () => {
  const trigger: TimedTrigger = {
    type: "SCHEDULE",
    config: { at: ["2027-05-01T10:00:00+02:00", "2027-04-01T09:00:00"], timezone: "Europe/Berlin" },
  };
  assert.deepEqual(between(trigger, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"), [
    "2027-04-01T07:00:00.000Z",
    "2027-05-01T08:00:00.000Z",
  ]);
  assert.deepEqual(between(trigger, "2027-04-01T07:00:00Z", "2028-01-01T00:00:00Z"), [
    "2027-05-01T08:00:00.000Z",
  ]);
});

Deno.test("an expression or zone croner refuses throws", () => {
  assert.throws(() =>
    instantsBetween(cron("61 * * * *", "UTC"), new Date(0), new Date(86_400_000), 1)
  );
  assert.throws(() =>
    instantsBetween(cron("0 9 * * *", "Mars/Olympus"), new Date(0), new Date(86_400_000), 1)
  );
});

Deno.test("localIsoString writes the wall time with the zone's offset", () => {
  assert.equal(
    localIsoString(new Date("2027-03-28T07:00:00Z"), "Europe/Berlin"),
    "2027-03-28T09:00:00+02:00",
  );
  assert.equal(
    localIsoString(new Date("2027-01-01T00:00:00Z"), "UTC"),
    "2027-01-01T00:00:00+00:00",
  );
});
