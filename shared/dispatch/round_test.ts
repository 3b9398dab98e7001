import assert from "node:assert/strict";
import type { DispatchDependencies } from "./dependencies.ts";
import type { DispatchLanes, Queue } from "./queue.ts";
import { EXPRESS_BATCH_SIZE } from "./fair-read.ts";
import { createDrainRound, IDLE_POLL_MS, SETTINGS_MAX_AGE_MS } from "./round.ts";
import { DEFAULT_DISPATCH_SETTINGS } from "./settings.ts";

function emptyQueues(hiddenForSeconds: number | null): DispatchDependencies {
  const unused = () => Promise.reject(new Error("not expected with empty queues"));
  const lanes: DispatchLanes = {
    route: () => Promise.resolve(0),
    backlog: () => Promise.resolve([]),
    read: unused,
    queue: () => cancellation,
    secondsUntilNextVisible: () => Promise.resolve(hiddenForSeconds),
  };
  const cancellation: Queue = {
    name: "notification_cancellation",
    read: () => Promise.resolve([]),
    delete: unused,
    delay: unused,
    send: unused,
    secondsUntilNextVisible: () => Promise.resolve(null),
  };
  return {
    queues: { dispatch: lanes, cancellation },
    rateLimits: { load: () => Promise.resolve([]), save: unused },
    store: {
      claim: unused,
      loadWorkflowPlans: unused,
      markSent: unused,
      settleFailure: unused,
      recipientCounts: unused,
      novuSyncStates: unused,
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

/**
 * One lane, "nl2_test", holding message 1: its backlog and reads serve `pending`, and every
 * batch's deletes go to `onDelete` (what the batch waits for). Claims find no row, so each
 * message read is deleted as done.
 */
function oneLane(onDelete: (ids: number[]) => Promise<void>) {
  const dependencies = emptyQueues(null);
  dependencies.store.claim = () => Promise.resolve([]);
  dependencies.store.loadWorkflowPlans = () => Promise.resolve(new Map());
  const queue = "nl2_test";
  const message = (msgId: number) => ({
    queue,
    msgId,
    readCount: 1,
    attemptsBefore: 0,
    notificationId: null,
  });
  const pending = [message(1)];
  dependencies.queues.dispatch.backlog = () =>
    Promise.resolve(
      pending.length > 0 ? [{ queue, band: 2, enterpriseId: null, visible: pending.length }] : [],
    );
  dependencies.queues.dispatch.read = (reads) =>
    Promise.resolve(pending.splice(0, reads.reduce((sum, read) => sum + read.qty, 0)));
  const laneQueue = dependencies.queues.dispatch.queue(queue);
  dependencies.queues.dispatch.queue = () => ({ ...laneQueue, delete: onDelete });
  return { dependencies, pending, message };
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

Deno.test("an express-only round leaves the follow-up for hidden or intake messages to the dispatcher", async () => {
  const round = createDrainRound({
    dependencies: emptyQueues(0),
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 2,
    expressLoops: 2,
    expressOnly: true,
    lane: "dispatch",
  });
  assert.deepEqual(await round(1_000), { nextVisibleInSeconds: null });
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

/**
 * A slow batch (its Novu call hanging) holds one loop from the start; another message is
 * inserted while it runs. Resolves with the order in which the messages were done and the
 * idle loop's waits. `deadlinePassesAt`: the clock passes the round's deadline at that idle look.
 */
async function slowBatchBesideNewWork(
  options: { deadlinePassesAt: number | null; leasePollMs?: number },
) {
  const { promise: slowBatchDone, resolve: finishSlowBatch } = Promise.withResolvers<void>();
  const processed: string[] = [];
  const { dependencies, pending, message } = oneLane((ids) => {
    processed.push(`done ${ids.join(",")}`);
    return ids.includes(1) ? slowBatchDone : Promise.resolve();
  });
  let clock = 0;
  dependencies.now = () => clock;
  const deadline = 1_000;
  const sleeps: number[] = [];
  const round = createDrainRound({
    dependencies,
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 2,
    lane: "dispatch",
    ...(options.leasePollMs === undefined ? {} : {
      lease: { renew: () => Promise.resolve(), stop: () => Promise.resolve(true) },
      leaseTimings: { pollMs: options.leasePollMs },
    }),
    sleep: (ms) => {
      sleeps.push(ms);
      // Under a lease the round lingers after the work: its waits move the clock to the end.
      if (options.leasePollMs !== undefined) clock += ms;
      if (sleeps.length === 1) pending.push(message(2));
      if (sleeps.length === options.deadlinePassesAt) clock = deadline;
      // The slow batch ends once the new message was handled.
      if (processed.includes("done 2")) finishSlowBatch();
      // A real wait: the other loop's batch (several awaits long) finishes meanwhile.
      return new Promise((resolve) => setTimeout(resolve, 0));
    },
  });
  // Without the idle loop looking again, the new message would wait for the slow batch: end
  // that batch after a while anyway so such a round finishes (and fails the assertion).
  const fallback = setTimeout(finishSlowBatch, 2_000);
  await round(deadline);
  clearTimeout(fallback);
  // The round's end wakes its idle loop before that loop's sleep is over: let it run out.
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { processed, sleeps };
}

Deno.test("while one loop is held by a slow batch, another keeps picking up new work", async () => {
  const { processed, sleeps } = await slowBatchBesideNewWork({ deadlinePassesAt: null });
  assert.deepEqual(processed, ["done 1", "done 2"]);
  assert.ok(sleeps.every((ms) => ms === IDLE_POLL_MS));
});

Deno.test("under a lease (no kick comes), a loop beside a slow batch looks every pollMs", async () => {
  const { processed, sleeps } = await slowBatchBesideNewWork({
    deadlinePassesAt: null,
    leasePollMs: 40,
  });
  assert.deepEqual(processed, ["done 1", "done 2"]);
  assert.equal(sleeps[0], 40, "the new message waited one poll, not IDLE_POLL_MS");
});

Deno.test("past the deadline, an idle loop still serves new work while a slow batch runs", async () => {
  // The drain's budget ends while the slow batch runs: the round cannot end before it does,
  // so the new message must not wait for it.
  const { processed } = await slowBatchBesideNewWork({ deadlinePassesAt: 1 });
  assert.deepEqual(processed, ["done 1", "done 2"]);
});

Deno.test("once the queue is found empty with no batch running, no loop goes on alone", async () => {
  // A loop polls beside a slow batch; the batch ends and its loop finds the queue empty, so
  // the round is over. Work inserted while the poller still sleeps is the next round's (its
  // insert kicks the drainer), served by every loop: the waking poller must not take it alone.
  const { promise: slowBatchDone, resolve: finishSlowBatch } = Promise.withResolvers<void>();
  const processed: number[] = [];
  const { dependencies, pending, message } = oneLane((ids) => {
    processed.push(...ids);
    return ids.includes(1) ? slowBatchDone : Promise.resolve();
  });
  const round = createDrainRound({
    dependencies,
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 2,
    lane: "dispatch",
    sleep: async () => {
      finishSlowBatch();
      // The slow batch's loop finishes and finds the queue empty while this one sleeps.
      await new Promise((resolve) => setTimeout(resolve, 0));
      pending.push(message(3));
    },
  });
  await round(Number.MAX_SAFE_INTEGER);
  // The round ending wakes the poller early; let its sleep insert the new work all the same.
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(processed, [1]);
  assert.deepEqual(pending.map((left) => left.msgId), [3]);
});

/**
 * A regular loop takes a batch of a 150-message flood, which hangs settling; meanwhile a quiet
 * lane's message comes with a kick. With `budgetSpentDuringFloodBatch`, the drain's CPU budget
 * is spent once the flood batch is settling. Returns the batches done, in order.
 */
async function quietLaneBesideFloodBatch(budgetSpentDuringFloodBatch: boolean) {
  const dependencies = emptyQueues(null);
  dependencies.store.claim = () => Promise.resolve([]);
  dependencies.store.loadWorkflowPlans = () => Promise.resolve(new Map());
  const message = (queue: string, msgId: number) => ({
    queue,
    msgId,
    readCount: 1,
    attemptsBefore: 0,
    notificationId: null,
  });
  const lanes = new Map([[
    "nl2_flood",
    Array.from({ length: 150 }, (_, i) => message("nl2_flood", i + 1)),
  ]]);
  dependencies.queues.dispatch.backlog = (cap) =>
    Promise.resolve(
      [...lanes].filter(([, pending]) => pending.length > 0).map(([queue, pending]) => ({
        queue,
        band: 2,
        enterpriseId: null,
        visible: Math.min(cap, pending.length),
      })),
    );
  dependencies.queues.dispatch.read = (reads) =>
    Promise.resolve(reads.flatMap((read) => lanes.get(read.queue)!.splice(0, read.qty)));
  const { promise: floodBatchDone, resolve: finishFloodBatch } = Promise.withResolvers<void>();
  const { promise: floodBatchSettling, resolve: floodBatchSettles } = Promise.withResolvers<void>();
  const done: string[] = [];
  const laneQueue = dependencies.queues.dispatch.queue("any");
  dependencies.queues.dispatch.queue = (queue) => ({
    ...laneQueue,
    delete: (ids) => {
      done.push(`${queue} ${ids.length}`);
      if (queue !== "nl2_flood" || done.length > 1) return Promise.resolve();
      floodBatchSettles();
      return floodBatchDone;
    },
  });
  const round = createDrainRound({
    dependencies,
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 2,
    lane: "dispatch",
    // Only a wake ends an idle wait here: the quiet lane must not wait for a poll.
    sleep: () => new Promise(() => {}),
  });
  let spent = false;
  const drained = round(Number.MAX_SAFE_INTEGER, () => spent);
  await floodBatchSettling;
  spent = budgetSpentDuringFloodBatch;
  await new Promise((resolve) => setTimeout(resolve, 0));
  lanes.set("nl2_quiet", [message("nl2_quiet", 1_000)]);
  round.wake!();
  await new Promise((resolve) => setTimeout(resolve, 0));
  finishFloodBatch();
  await drained;
  return done;
}

Deno.test("beside a loop on a flood's batch, a woken express loop serves a quiet lane at once", async () => {
  // The regular loop took a full batch of the flood; the express loop skipped the flood's long
  // lane and served the quiet one while that batch was still settling.
  assert.deepEqual(await quietLaneBesideFloodBatch(false), [
    "nl2_flood 100",
    "nl2_quiet 1",
    "nl2_flood 50",
  ]);
});

Deno.test("with the CPU budget spent during a flood's batch, the express loop still serves a quiet lane", async () => {
  // No new flood batch starts (the rest is the next drain's), but the quiet message does not
  // wait for the next drain either.
  assert.deepEqual(await quietLaneBesideFloodBatch(true), ["nl2_flood 100", "nl2_quiet 1"]);
});

/**
 * One long lane of `length` messages: every look at the backlog is recorded (its cap tells an
 * express look from a full one), and every batch that read messages hangs settling until
 * `settleFlood` is called.
 */
function floodLane(length: number) {
  const dependencies = emptyQueues(null);
  dependencies.store.claim = () => Promise.resolve([]);
  dependencies.store.loadWorkflowPlans = () => Promise.resolve(new Map());
  const queue = "nl2_flood";
  const pending = Array.from({ length }, (_, index) => ({
    queue,
    msgId: index + 1,
    readCount: 1,
    attemptsBefore: 0,
    notificationId: null,
  }));
  const looks: number[] = [];
  dependencies.queues.dispatch.backlog = (cap) => {
    looks.push(cap);
    return Promise.resolve(
      pending.length > 0
        ? [{ queue, band: 2, enterpriseId: null, visible: Math.min(cap, pending.length) }]
        : [],
    );
  };
  dependencies.queues.dispatch.read = (reads) =>
    Promise.resolve(pending.splice(0, reads.reduce((sum, read) => sum + read.qty, 0)));
  const { promise: floodSettled, resolve: settleFlood } = Promise.withResolvers<void>();
  const laneQueue = dependencies.queues.dispatch.queue(queue);
  dependencies.queues.dispatch.queue = () => ({ ...laneQueue, delete: () => floodSettled });
  return { dependencies, looks, settleFlood };
}

Deno.test("a kick wakes one idle loop, the express loop first, not every loop", async () => {
  // A long lane: the express loop skips it, one regular loop takes it all and hangs settling.
  const { dependencies, looks, settleFlood } = floodLane(50);
  const round = createDrainRound({
    dependencies,
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 3,
    lane: "dispatch",
    sleep: () => new Promise(() => {}),
  });
  const drained = round(Number.MAX_SAFE_INTEGER);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const looksBeforeKick = looks.length;
  round.wake!();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const looksAfterKick = looks.slice(looksBeforeKick);
  settleFlood();
  await drained;
  assert.deepEqual(looksAfterKick, [EXPRESS_BATCH_SIZE + 1], "one look, by the express loop");
});

Deno.test("the first expressLoops loops take express batches, the others full ones", async () => {
  // Long enough that every loop's first look finds it and its batch hangs settling.
  const { dependencies, looks, settleFlood } = floodLane(500);
  const looksOf = async (expressLoops: number | undefined) => {
    looks.length = 0;
    const round = createDrainRound({
      dependencies,
      loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
      workers: 4,
      expressLoops,
      lane: "dispatch",
      sleep: () => new Promise(() => {}),
    });
    const drained = round(Number.MAX_SAFE_INTEGER);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const expressLooks = looks.filter((cap) => cap === EXPRESS_BATCH_SIZE + 1).length;
    return { expressLooks, allLooks: looks.length, drained };
  };
  const two = await looksOf(2);
  assert.deepEqual([two.expressLooks, two.allLooks], [2, 4]);
  const byDefault = await looksOf(undefined);
  assert.deepEqual([byDefault.expressLooks, byDefault.allLooks], [1, 4]);
  const tooMany = await looksOf(9);
  assert.deepEqual([tooMany.expressLooks, tooMany.allLooks], [3, 4], "one loop stays full");
  settleFlood();
  await Promise.all([two.drained, byDefault.drained, tooMany.drained]);
});

Deno.test("an express-only round (dispatcher-express) takes express batches only and leaves a long lane alone", async () => {
  const { dependencies, looks } = floodLane(500);
  const round = createDrainRound({
    dependencies,
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 2,
    expressLoops: 2,
    expressOnly: true,
    lane: "dispatch",
    sleep: () => new Promise(() => {}),
  });
  // Nothing express to serve: the round ends, the flood untouched, for the dispatcher.
  assert.deepEqual(await round(Number.MAX_SAFE_INTEGER), { nextVisibleInSeconds: null });
  assert.ok(looks.length > 0);
  assert.ok(looks.every((cap) => cap === EXPRESS_BATCH_SIZE + 1), `looks: ${looks.join(",")}`);
});

Deno.test("a wake during a look that finds nothing makes the loop look again, not sleep", async () => {
  const { promise: slowBatchDone, resolve: finishSlowBatch } = Promise.withResolvers<void>();
  const processed: number[] = [];
  const { dependencies, pending, message } = oneLane((ids) => {
    processed.push(...ids);
    return ids.includes(1) ? slowBatchDone : Promise.resolve();
  });
  let kicked = false;
  dependencies.queues.dispatch.read = (reads) => {
    const taken = pending.splice(0, reads.reduce((sum, read) => sum + read.qty, 0));
    if (taken.length === 0 && !kicked) {
      // New work and its kick arrive just after this read, before the loop goes idle.
      kicked = true;
      queueMicrotask(() => {
        pending.push(message(2));
        round.wake!();
      });
    }
    return Promise.resolve(taken);
  };
  const round = createDrainRound({
    dependencies,
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 2,
    lane: "dispatch",
    sleep: () => new Promise(() => {}),
  });
  const drained = round(Number.MAX_SAFE_INTEGER);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const doneBeforeSlowBatchEnded = [...processed];
  // Had the loop slept through the wake, message 2 would wait for the slow batch's end.
  finishSlowBatch();
  await drained;
  assert.deepEqual(doneBeforeSlowBatchEnded, [1, 2]);
});

Deno.test("a long round re-reads its settings once they are older than SETTINGS_MAX_AGE_MS", async () => {
  const dependencies = emptyQueues(null);
  dependencies.store.claim = () => Promise.resolve([]);
  dependencies.store.loadWorkflowPlans = () => Promise.resolve(new Map());
  let clock = 0;
  dependencies.now = () => clock;
  const queue = "nl2_test";
  const pending = [1, 2, 3].map((msgId) => ({
    queue,
    msgId,
    readCount: 1,
    attemptsBefore: 0,
    notificationId: null,
  }));
  dependencies.queues.dispatch.backlog = () =>
    Promise.resolve(
      pending.length > 0 ? [{ queue, band: 2, enterpriseId: null, visible: pending.length }] : [],
    );
  // One message per batch, each batch taking 60 % of the settings' maximum age.
  dependencies.queues.dispatch.read = () => {
    clock += SETTINGS_MAX_AGE_MS * 0.6;
    return Promise.resolve(pending.splice(0, 1));
  };
  const laneQueue = dependencies.queues.dispatch.queue(queue);
  dependencies.queues.dispatch.queue = () => ({ ...laneQueue, delete: () => Promise.resolve() });
  const readsAt: number[] = [];
  const round = createDrainRound({
    dependencies,
    loadSettings: () => {
      readsAt.push(clock);
      return Promise.resolve(DEFAULT_DISPATCH_SETTINGS);
    },
    workers: 1,
    lane: "dispatch",
  });
  await round(Number.MAX_SAFE_INTEGER);
  // Batches start at 0, 0.6, 1.2 and 1.8 (empty) of the maximum age: fresh at 0 and 1.2.
  assert.deepEqual(readsAt, [0, SETTINGS_MAX_AGE_MS * 1.2]);
});

/**
 * A leased round on one lane, on a clock that only the round's waits move: `arrivals` maps a
 * wait's number (1-based) to a message put in the lane during it, with no kick (the producer
 * skipped it on the lease). `stopAnswers`: what the stop attempts answer in turn (then true);
 * `arrivalDuringStop`: a message put in the lane during the last attempt answering false.
 * Every renewal, stop, look (backlog read) and done message is logged in order.
 */
async function leasedRound(options: {
  arrivals?: Record<number, number>;
  stopAnswers?: boolean[];
  arrivalDuringStop?: number;
  deadline?: number;
}) {
  const log: string[] = [];
  const { dependencies, pending, message } = oneLane((ids) => {
    log.push(`done ${ids.join(",")}`);
    return Promise.resolve();
  });
  let clock = 0;
  dependencies.now = () => clock;
  const backlog = dependencies.queues.dispatch.backlog;
  dependencies.queues.dispatch.backlog = (cap) => {
    log.push("look");
    return backlog(cap);
  };
  const stopAnswers = [...(options.stopAnswers ?? [])];
  let waits = 0;
  const round = createDrainRound({
    dependencies,
    loadSettings: () => Promise.resolve(DEFAULT_DISPATCH_SETTINGS),
    workers: 1,
    lane: "dispatch",
    lease: {
      renew: (leaseMs) => {
        log.push(`renew ${leaseMs} at ${clock}`);
        return Promise.resolve();
      },
      stop: () => {
        const answer = stopAnswers.shift() ?? true;
        log.push(`stop ${answer}`);
        // The producer commits during the last attempt that finds it open.
        if (!answer && stopAnswers.length === 0 && options.arrivalDuringStop !== undefined) {
          pending.push(message(options.arrivalDuringStop));
        }
        return Promise.resolve(answer);
      },
    },
    leaseTimings: { leaseMs: 3_000, lingerMs: 1_000, pollMs: 100, stopWaitMs: 2_000 },
    sleep: (ms) => {
      waits += 1;
      clock += ms;
      const arrival = options.arrivals?.[waits];
      if (arrival !== undefined) pending.push(message(arrival));
      return Promise.resolve();
    },
  });
  const result = await round(options.deadline ?? Number.MAX_SAFE_INTEGER);
  return { result, log };
}

Deno.test("a leased round renews before its first read, lingers, then stops and looks once more", async () => {
  const { result, log } = await leasedRound({});
  assert.deepEqual(result, { nextVisibleInSeconds: null });
  // The first batch and the empty look after it, ten linger looks (one renewal once a third
  // of the lease has passed), the stop, and a last look that promises nothing.
  assert.deepEqual(log, [
    "renew 3000 at 0",
    "look",
    "done 1",
    "look",
    ...Array.from({ length: 10 }, (_, i) => i === 9 ? ["renew 3000 at 1000", "look"] : ["look"])
      .flat(),
    "stop true",
    "look",
  ]);
});

Deno.test("work queued while a leased round lingers is served by that round, with no kick", async () => {
  const { log } = await leasedRound({ arrivals: { 3: 2 } });
  assert.ok(log.includes("done 2"), "the message that came during the linger is served");
  assert.ok(
    log.indexOf("done 2") < log.indexOf("stop true"),
    "before the round stops its lease",
  );
  // The linger starts again after that work: the loop's empty look, then ten linger looks.
  const untilStop = log.slice(log.indexOf("done 2") + 1, log.indexOf("stop true"));
  assert.equal(untilStop.filter((entry) => entry === "look").length, 11);
});

Deno.test("a stop waits for a producer that skipped its kick, and the last look serves its message", async () => {
  // The producer's transaction is open during two stop attempts and commits during the second.
  const { result, log } = await leasedRound({
    stopAnswers: [false, false],
    arrivalDuringStop: 3,
  });
  assert.deepEqual(result, { nextVisibleInSeconds: null });
  const stop = log.indexOf("stop true");
  assert.deepEqual(log.slice(stop - 2, stop + 3), [
    "stop false",
    "stop false",
    "stop true",
    "look",
    "done 3",
  ]);
  // Serving it gave the lease again, so the round lingers and stops once more.
  assert.deepEqual(log.slice(-2), ["stop true", "look"]);
  assert.ok(
    log.findLastIndex((entry) => entry.startsWith("renew")) > stop + 4,
    "the loops going on after that look renew the lease",
  );
});

Deno.test("out of time while lingering, a leased round hands its lease to a fresh drain", async () => {
  const { result, log } = await leasedRound({ deadline: 500 });
  assert.deepEqual(result, { nextVisibleInSeconds: 0 }, "a follow-up drain at once");
  assert.ok(!log.some((entry) => entry.startsWith("stop")), "the lease is not given up");
});

Deno.test("a producer open longer than the stop waits for is left to the next kick or sweep", async () => {
  const { result, log } = await leasedRound({ stopAnswers: Array(100).fill(false) });
  assert.deepEqual(result, { nextVisibleInSeconds: null });
  // 2,000 ms of attempts 100 ms apart, and no last look: it could miss that producer's message.
  assert.equal(log.filter((entry) => entry === "stop false").length, 21);
  assert.equal(log.at(-1), "stop false");
});
