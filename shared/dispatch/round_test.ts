import assert from "node:assert/strict";
import type { DispatchDependencies } from "./dependencies.ts";
import type { Queue } from "./queue.ts";
import { createDrainRound, IDLE_POLL_MS } from "./round.ts";
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

Deno.test("while one loop is held by a slow batch, another keeps picking up new work", async () => {
  const dependencies = emptyQueues(null);
  dependencies.store.claim = () => Promise.resolve([]);
  dependencies.store.loadWorkflowPlans = () => Promise.resolve(new Map());
  const { promise: slowBatchDone, resolve: finishSlowBatch } = Promise.withResolvers<void>();
  let reads = 0;
  const processed: string[] = [];
  // Read 1: the slow batch (one message, its Novu call hanging). Reads 2-3: nothing yet.
  // Read 4: a message inserted meanwhile. Then nothing, and the slow batch ends.
  dependencies.queues.dispatch.read = () => {
    reads += 1;
    if (reads === 1) {
      return Promise.resolve([{ msgId: 1, readCount: 1, attemptsBefore: 0, notificationId: null }]);
    }
    if (reads === 4) {
      return Promise.resolve([{ msgId: 2, readCount: 1, attemptsBefore: 0, notificationId: null }]);
    }
    return Promise.resolve([]);
  };
  dependencies.queues.dispatch.delete = (ids) => {
    processed.push(`done ${ids.join(",")}`);
    return ids.includes(1) ? slowBatchDone : Promise.resolve();
  };
  const sleeps: number[] = [];
  const round = createDrainRound({
    dependencies,
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 2,
    lane: "dispatch",
    sleep: (ms) => {
      sleeps.push(ms);
      // The slow batch ends once the new message was handled.
      if (processed.includes("done 2")) finishSlowBatch();
      return Promise.resolve();
    },
  });
  // Without the idle loop looking again, the new message would wait for the slow batch: end
  // that batch after a while anyway so such a round finishes (and fails the assertion).
  const fallback = setTimeout(finishSlowBatch, 2_000);
  await round(1_000);
  clearTimeout(fallback);
  assert.deepEqual(processed, ["done 1", "done 2"]);
  assert.ok(sleeps.every((ms) => ms === IDLE_POLL_MS));
});
