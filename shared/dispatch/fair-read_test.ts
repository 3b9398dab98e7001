import assert from "node:assert/strict";
import type { DispatchDependencies } from "./dependencies.ts";
import { EXPRESS_BATCH_SIZE, interleaveLanes, readFairBatch } from "./fair-read.ts";
import type { DispatchLanes } from "./queue.ts";
import type { EnterpriseRateLimit } from "./rate-limit-store.ts";
import type { LaneRead } from "./selection.ts";
import { DEFAULT_DISPATCH_SETTINGS } from "./settings.ts";

const A = "aaaaaaaa-0000-4000-8000-000000000000";
const B = "bbbbbbbb-0000-4000-8000-000000000000";

function setup(limitOfA: EnterpriseRateLimit, saveSucceeds = true) {
  const clock = { now: 10_000 };
  const state = { limit: limitOfA, reads: [] as LaneRead[], saved: [] as string[] };
  const lanes: DispatchLanes = {
    route: () => Promise.resolve(0),
    backlog: () =>
      Promise.resolve([
        { queue: "nl2_a", band: 2, enterpriseId: A, visible: 100 },
        { queue: "nl2_b", band: 2, enterpriseId: B, visible: 10 },
      ]),
    read: (reads) => {
      state.reads = reads;
      return Promise.resolve([]);
    },
    queue: () => {
      throw new Error("not expected");
    },
    secondsUntilNextVisible: () => Promise.resolve(null),
  };
  const dependencies = {
    queues: { dispatch: lanes },
    rateLimits: {
      load: () => Promise.resolve([state.limit]),
      save: (_entry: EnterpriseRateLimit, bucket: { tokens: number }, throttled: boolean) => {
        state.saved.push(`tokens=${bucket.tokens} throttled=${throttled}`);
        return Promise.resolve(saveSucceeds);
      },
    },
    now: () => clock.now,
    random: () => 0,
  } as unknown as DispatchDependencies;
  return { dependencies, state, clock };
}

const limited = (perSecond: number, burst: number, tokens: number, atMs: number) => ({
  enterpriseId: A,
  limit: { perSecond, burst },
  bucket: { tokens, refilledAtMs: atMs },
  bucketVersion: "v",
  throttled: false,
});

Deno.test("a throttled enterprise gets its tokens' worth, the others their share; wait reported", async () => {
  const { dependencies, state } = setup(limited(2, 5, 0, 9_000));
  const result = await readFairBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  // One second at 2/s since the last refill: two tokens.
  assert.deepEqual(state.reads.map((read) => [read.queue, read.qty]), [["nl2_a", 2], [
    "nl2_b",
    10,
  ]]);
  assert.deepEqual(state.saved, ["tokens=0 throttled=true"]);
  assert.equal(result.throttledForMs, 500);
});

Deno.test("a raised limit is used by the next batch: the backlog catches up", async () => {
  const { dependencies, state } = setup(limited(1_000, 1_000, 0, 9_000));
  await readFairBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(state.reads.map((read) => [read.queue, read.qty]), [["nl2_a", 90], [
    "nl2_b",
    10,
  ]]);
  assert.deepEqual(state.saved, ["tokens=910 throttled=false"]);
});

Deno.test("tokens another batch spent first are not spent twice: the enterprise waits", async () => {
  const { dependencies, state } = setup(limited(2, 5, 5, 10_000), false);
  await readFairBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(state.reads.map((read) => [read.queue, read.qty]), [["nl2_b", 10]]);
});

Deno.test("an enterprise still without tokens is not saved again but its wait is reported", async () => {
  const { dependencies, state } = setup({ ...limited(0.5, 1, 0, 10_000), throttled: true });
  const result = await readFairBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(state.reads.map((read) => [read.queue, read.qty]), [["nl2_b", 10]]);
  assert.deepEqual(state.saved, []);
  // 0.5 tokens a second: the next whole token in 2 s.
  assert.equal(result.throttledForMs, 2_000);
});

Deno.test("an express batch is small, does not route, and reads only the urgent band and short lanes", async () => {
  const { dependencies, state } = setup(limited(1_000, 1_000, 1_000, 10_000));
  const visible = [
    { queue: "nl0_urgent", band: 0, enterpriseId: null, visible: 40 },
    { queue: "nl2_a", band: 2, enterpriseId: A, visible: 40 },
    { queue: "nl2_b", band: 2, enterpriseId: B, visible: 3 },
  ];
  dependencies.queues.dispatch.backlog = (cap) =>
    Promise.resolve(visible.map((lane) => ({ ...lane, visible: Math.min(cap, lane.visible) })));
  let routed = 0;
  dependencies.queues.dispatch.route = () => Promise.resolve(routed += 1);
  await readFairBatch(dependencies, DEFAULT_DISPATCH_SETTINGS, true);
  assert.equal(routed, 0, "routing the intake is the regular loops' work");
  const taken = new Map(state.reads.map((read) => [read.queue, read.qty]));
  assert.equal([...taken.values()].reduce((sum, qty) => sum + qty, 0), EXPRESS_BATCH_SIZE);
  assert.ok(EXPRESS_BATCH_SIZE < DEFAULT_DISPATCH_SETTINGS.batchSize);
  assert.equal(taken.has("nl2_a"), false, "a long lane is left to the regular loops");
  assert.ok(taken.get("nl0_urgent")! > 0 && taken.get("nl2_b")! > 0);
});

Deno.test("a batch's messages go out by band, then one of each lane in turn", () => {
  const message = (queue: string, msgId: number) => ({
    queue,
    msgId,
    readCount: 1,
    attemptsBefore: 0,
    notificationId: msgId,
  });
  // As one pgmq read returns them: lane after lane.
  const read = [
    message("nl2_a", 1),
    message("nl2_a", 2),
    message("nl2_a", 3),
    message("nl2_b", 4),
    message("nl3_a", 5),
    message("nl3_a", 6),
    message("nl1_c", 7),
    message("notification_dispatch_urgent", 8),
  ];
  const reads: LaneRead[] = [
    { queue: "notification_dispatch_urgent", enterpriseId: null, band: 0, qty: 1 },
    { queue: "nl1_c", enterpriseId: "c", band: 1, qty: 1 },
    { queue: "nl2_a", enterpriseId: A, band: 2, qty: 3 },
    { queue: "nl2_b", enterpriseId: B, band: 2, qty: 1 },
    { queue: "nl3_a", enterpriseId: A, band: 3, qty: 2 },
  ];
  assert.deepEqual(interleaveLanes(read, reads).map((m) => m.msgId), [8, 7, 1, 4, 2, 3, 5, 6]);
});
