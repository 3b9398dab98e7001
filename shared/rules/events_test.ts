import assert from "node:assert/strict";
import {
  createEventRound,
  type EmittedEvent,
  eventFirings,
  type EventRoundOptions,
  type EventRule,
  type QueuedEvent,
} from "./events.ts";
import type { FiringRecord } from "./firing.ts";
import type { FiringResult } from "./record.ts";
import { ENTERPRISE_A, ENTERPRISE_B, ruleDefinition, validatePayload } from "./test_support.ts";

const event: EmittedEvent = {
  id: 42,
  enterpriseId: ENTERPRISE_A,
  name: "door.forced_open",
  payload: { doorName: "North gate", floor: 3 },
  emittedAt: "2027-01-01T00:00:00.000Z",
};

function eventRule(overrides: Partial<EventRule> = {}): EventRule {
  return { ...ruleDefinition(), eventName: "door.forced_open", ...overrides };
}

Deno.test("a rule whose conditions hold fires once for the event; one whose conditions fail does not", () => {
  const firings = eventFirings(event, [
    eventRule({ id: 1, conditions: { "==": [{ var: "event.payload.floor" }, 3] } }),
    eventRule({ id: 2, conditions: { "==": [{ var: "event.payload.floor" }, 4] } }),
  ], validatePayload);
  assert.deepEqual(firings.map((firing) => [firing.rule_id, firing.event_id]), [[1, 42]]);
  assert.deepEqual(firings[0].payload, { doorName: "North gate" });
});

Deno.test("an event never fires another enterprise's rule, nor a rule of another event name", () => {
  assert.deepEqual(
    eventFirings(event, [
      eventRule({ id: 1, enterpriseId: ENTERPRISE_B }),
      eventRule({ id: 2, eventName: "door.closed" }),
    ], validatePayload),
    [],
  );
});

Deno.test("conditions that cannot be evaluated are a failed firing naming them", () => {
  const [firing] = eventFirings(event, [eventRule({ conditions: { nope: [1] } })], validatePayload);
  assert.equal(firing.outcome, "failed");
  assert.match(firing.reason!, /^conditions: Unrecognized operation nope/);
});

Deno.test("a round records the firings, then stamps the events and deletes their messages", async () => {
  const queue = [[{ messageId: 1, event }, { messageId: 2, event: null }], []];
  const recorded: FiringRecord[][] = [];
  const finished: unknown[] = [];
  const round = createEventRound({
    readEvents: () => Promise.resolve(queue.shift() ?? []),
    loadEventRules: () => Promise.resolve([eventRule()]),
    recordFirings: (firings) => {
      recorded.push(firings);
      return Promise.resolve(firings.map((firing): FiringResult => ({
        rule_id: firing.rule_id,
        fire_at: null,
        event_id: firing.event_id!,
        firing_id: 1,
        outcome: "created",
        reason: null,
      })));
    },
    finishEvents: (messageIds, matches) => {
      finished.push({ messageIds, matches });
      return Promise.resolve();
    },
    validatePayload,
    now: () => 0,
    log: () => {},
  });
  assert.deepEqual(await round(1), { nextVisibleInSeconds: null });
  assert.equal(recorded.length, 1);
  assert.deepEqual(recorded[0].map((firing) => firing.event_id), [42]);
  assert.deepEqual(finished, [{ messageIds: [1, 2], matches: [{ eventId: 42, matchedRules: 1 }] }]);
});

Deno.test("a round whose recording fails leaves the messages for redelivery", async () => {
  let finished = false;
  const round = createEventRound({
    readEvents: () => Promise.resolve([{ messageId: 1, event }]),
    loadEventRules: () => Promise.reject(new Error("database restarting")),
    recordFirings: () => Promise.resolve([]),
    finishEvents: () => {
      finished = true;
      return Promise.resolve();
    },
    validatePayload,
    now: () => 0,
    log: () => {},
  });
  await assert.rejects(round(1), /database restarting/);
  assert.equal(finished, false);
});

/** A round over a scripted queue with the stop handshake, on a clock that sleeps advance. */
function lingeringRound(
  reads: QueuedEvent[][],
  stops: boolean[],
  options: EventRoundOptions = {},
) {
  let clock = 0;
  const calls: string[] = [];
  const round = createEventRound({
    readEvents: (_limit, leaseMs) => {
      calls.push(leaseMs === undefined ? "read" : `read+lease ${leaseMs}`);
      return Promise.resolve(reads.shift() ?? []);
    },
    loadEventRules: () => Promise.resolve([eventRule()]),
    recordFirings: () => Promise.resolve([]),
    finishEvents: (messageIds) => {
      calls.push(`finish ${messageIds.join(",")}`);
      return Promise.resolve();
    },
    validatePayload,
    now: () => clock,
    log: (message) => calls.push(`log ${message}`),
    stopDrain: () => {
      const stopped = stops.shift() ?? true;
      calls.push(`stop ${stopped}`);
      return Promise.resolve(stopped);
    },
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
  }, { leaseMs: 3_000, lingerMs: 300, pollMs: 100, stopWaitMs: 200, ...options });
  return { round, calls };
}

Deno.test("an idle drain reads on under its lease for the linger, stops through the handshake, then reads once more without one", async () => {
  const { round, calls } = lingeringRound([[{ messageId: 1, event }]], []);
  assert.deepEqual(await round(60_000), { nextVisibleInSeconds: null });
  assert.deepEqual(calls, [
    "read+lease 3000",
    "finish 1",
    "read+lease 3000",
    "read+lease 3000",
    "read+lease 3000",
    "read+lease 3000",
    "stop true",
    "read",
  ]);
});

Deno.test("a message found by the read after the stop is drained and the drain goes on under a new lease", async () => {
  const { round, calls } = lingeringRound([[], [], [{ messageId: 7, event }]], [], {
    lingerMs: 100,
  });
  assert.deepEqual(await round(60_000), { nextVisibleInSeconds: null });
  assert.deepEqual(calls, [
    "read+lease 3000",
    "read+lease 3000",
    "stop true",
    "read",
    "finish 7",
    "read+lease 3000",
    "read+lease 3000",
    "stop true",
    "read",
  ]);
});

Deno.test("a stop waits while a transaction that skipped its kick is open, and gives up after stopWaitMs leaving it to the next kick", async () => {
  const waited = lingeringRound([], [false, true], { lingerMs: 0 });
  assert.deepEqual(await waited.round(60_000), { nextVisibleInSeconds: null });
  assert.deepEqual(waited.calls, ["read+lease 3000", "stop false", "stop true", "read"]);

  const gaveUp = lingeringRound([], [false, false, false, false], { lingerMs: 0 });
  assert.deepEqual(await gaveUp.round(60_000), { nextVisibleInSeconds: null });
  assert.deepEqual(gaveUp.calls.slice(0, 4), [
    "read+lease 3000",
    "stop false",
    "stop false",
    "stop false",
  ]);
  assert.match(gaveUp.calls.at(-1)!, /^log a transaction that skipped its kick is still open/);
});

Deno.test("a drain out of time or budget under its lease asks for a fresh drain at once instead of ending", async () => {
  const outOfTime = lingeringRound([[{ messageId: 1, event }]], []);
  assert.deepEqual(await outOfTime.round(0), { nextVisibleInSeconds: 0 });
  const { round, calls } = lingeringRound(
    [[{ messageId: 1, event }], [{ messageId: 2, event }]],
    [],
  );
  let checks = 0;
  assert.deepEqual(await round(60_000, () => ++checks > 1), { nextVisibleInSeconds: 0 });
  assert.deepEqual(calls, ["read+lease 3000", "finish 1"]);
});
