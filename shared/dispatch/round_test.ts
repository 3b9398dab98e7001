import assert from "node:assert/strict";
import type { DispatchDependencies } from "./dependencies.ts";
import type { Queue } from "./queue.ts";
import { createDrainRound } from "./round.ts";
import { DEFAULT_DISPATCH_SETTINGS } from "./settings.ts";

function emptyQueues(hiddenForSeconds: number | null): DispatchDependencies {
  const unused = () => Promise.reject(new Error("not expected with empty queues"));
  const queue = (hidden: number | null): Queue => ({
    name: "notification_dispatch",
    read: () => Promise.resolve([]),
    delete: unused,
    delay: unused,
    send: unused,
    secondsUntilNextVisible: () => Promise.resolve(hidden),
  });
  return {
    queues: { dispatch: queue(hiddenForSeconds), cancellation: queue(null) },
    store: {
      claim: unused,
      loadWorkflowPlans: unused,
      markSent: unused,
      settleFailure: unused,
      recipientCounts: unused,
    },
    novu: { trigger: unused, cancel: unused },
    retractions: { note: unused, has: unused },
    render: unused,
    validatePayload: () => ({ valid: true }),
    now: () => 0,
    random: () => 0.5,
    log: () => {},
  } as unknown as DispatchDependencies;
}

Deno.test("a round with nothing visible reports when a hidden message (e.g. scheduled) shows", async () => {
  const round = createDrainRound({
    dependencies: emptyQueues(7),
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 2,
    lane: "dispatch",
  });
  assert.deepEqual(await round(1_000), { nextVisibleInSeconds: 7 });
});

Deno.test("a round with no hidden message asks for no follow-up", async () => {
  const round = createDrainRound({
    dependencies: emptyQueues(null),
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 1,
    lane: "dispatch",
  });
  assert.deepEqual(await round(1_000), { nextVisibleInSeconds: null });
});

Deno.test("the cancellation lane drains only the cancellation queue, whatever dispatch holds", async () => {
  const dependencies = emptyQueues(7);
  let dispatchReads = 0;
  dependencies.queues.dispatch.read = () => {
    dispatchReads += 1;
    return Promise.resolve([]);
  };
  const round = createDrainRound({
    dependencies,
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 1,
    lane: "cancellation",
  });
  assert.deepEqual(await round(1_000), { nextVisibleInSeconds: null });
  assert.equal(dispatchReads, 0);
});
