import assert from "node:assert/strict";
import { type LaneBacklog, selectLaneReads, starvationFloor } from "./selection.ts";

const A = "aaaaaaaa-0000-4000-8000-000000000000";
const B = "bbbbbbbb-0000-4000-8000-000000000000";
const C = "cccccccc-0000-4000-8000-000000000000";

const lane = (enterpriseId: string | null, band: number, visible: number): LaneBacklog => ({
  queue: band === 0 ? "notification_dispatch_urgent" : `nl${band}_${enterpriseId?.slice(0, 8)}`,
  band,
  enterpriseId: band === 0 ? null : enterpriseId,
  visible,
});
const qtyOf = (reads: ReturnType<typeof selectLaneReads>) =>
  Object.fromEntries(reads.map((read) => [read.queue, read.qty]));
const unlimited = new Map<string, number>();
const first = () => 0;

Deno.test("a flooding enterprise does not crowd out another: equal shares, the rest to the flood", () => {
  const reads = selectLaneReads([lane(A, 2, 100), lane(B, 2, 3)], 100, unlimited, first);
  assert.deepEqual(qtyOf(reads), { nl2_aaaaaaaa: 97, nl2_bbbbbbbb: 3 });
});

Deno.test("three flooding enterprises share a batch equally; the spare slot rotates", () => {
  const lanes = [lane(A, 2, 100), lane(B, 2, 100), lane(C, 2, 100)];
  assert.deepEqual(qtyOf(selectLaneReads(lanes, 100, unlimited, first)), {
    nl2_aaaaaaaa: 34,
    nl2_bbbbbbbb: 33,
    nl2_cccccccc: 33,
  });
  // random() = 0.7 starts the spare slot at the third lane.
  assert.deepEqual(qtyOf(selectLaneReads(lanes, 100, unlimited, () => 0.7)), {
    nl2_aaaaaaaa: 33,
    nl2_bbbbbbbb: 33,
    nl2_cccccccc: 34,
  });
});

Deno.test("urgent work comes first, then higher bands, lower bands keep their floor", () => {
  const reads = selectLaneReads(
    [lane(A, 3, 100), lane(A, 2, 100), lane(null, 0, 2), lane(B, 1, 100)],
    100,
    unlimited,
    first,
  );
  const floor = starvationFloor(100);
  assert.equal(floor, 5);
  assert.deepEqual(qtyOf(reads), {
    notification_dispatch_urgent: 2,
    nl1_bbbbbbbb: 100 - 2 - floor - floor,
    nl2_aaaaaaaa: floor,
    nl3_aaaaaaaa: floor,
  });
  assert.deepEqual(reads.map((read) => read.band), [0, 1, 2, 3]);
});

Deno.test("low priority never starves: it keeps its floor under a critical flood", () => {
  const reads = selectLaneReads([lane(null, 0, 100), lane(B, 3, 40)], 100, unlimited, first);
  assert.deepEqual(qtyOf(reads), { notification_dispatch_urgent: 95, nl3_bbbbbbbb: 5 });
});

Deno.test("a band that needs less than its floor leaves the rest to higher bands", () => {
  const reads = selectLaneReads([lane(A, 1, 100), lane(B, 3, 2)], 100, unlimited, first);
  assert.deepEqual(qtyOf(reads), { nl1_aaaaaaaa: 98, nl3_bbbbbbbb: 2 });
});

Deno.test("a rate-limited enterprise takes at most its tokens, across its bands; others fill up", () => {
  const reads = selectLaneReads(
    [lane(A, 1, 100), lane(A, 2, 100), lane(B, 2, 100)],
    100,
    new Map([[A, 7]]),
    first,
  );
  assert.deepEqual(qtyOf(reads), { nl1_aaaaaaaa: 7, nl2_bbbbbbbb: 93 });
});

Deno.test("a throttled enterprise is skipped but urgent work is never rate-limited", () => {
  const reads = selectLaneReads(
    [lane(A, 2, 100), lane(null, 0, 1)],
    100,
    new Map([[A, 0]]),
    first,
  );
  assert.deepEqual(qtyOf(reads), { notification_dispatch_urgent: 1 });
});

Deno.test("nothing visible, nothing read", () => {
  assert.deepEqual(selectLaneReads([], 100, unlimited, first), []);
});
