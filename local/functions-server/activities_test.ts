import assert from "node:assert/strict";
import { createActivityTracker } from "./activities.ts";

function tracked() {
  let cpu = 0;
  const reports: (number | null)[] = [];
  const tracker = createActivityTracker(() => cpu, (start) => reports.push(start));
  return { tracker, reports, setCpu: (ms: number) => (cpu = ms) };
}

Deno.test("the oldest open activity's start is reported when it changes, null when idle", () => {
  const { tracker, reports, setCpu } = tracked();
  setCpu(10);
  const first = tracker.open();
  setCpu(20);
  const second = tracker.open();
  assert.deepEqual(reports, [10], "a younger activity does not change the oldest");
  tracker.release(second);
  assert.deepEqual(reports, [10]);
  setCpu(30);
  const third = tracker.open();
  tracker.release(first);
  assert.deepEqual(reports, [10, 30], "the next oldest takes over");
  tracker.release(third);
  assert.deepEqual(reports, [10, 30, null]);
  assert.equal(tracker.size, 0);
});

Deno.test("an activity stays open while its request's waitUntil work runs", () => {
  const { tracker, reports, setCpu } = tracked();
  setCpu(5);
  const request = tracker.open();
  assert.equal(tracker.hold(request), true);
  tracker.release(request); // the handler returned
  assert.equal(tracker.size, 1, "its waitUntil work still runs");
  tracker.release(request); // the work settled
  assert.equal(tracker.size, 0);
  assert.deepEqual(reports, [5, null]);
});

Deno.test("a closed activity is never held again (the work opens its own)", () => {
  const { tracker } = tracked();
  const request = tracker.open();
  tracker.release(request);
  assert.equal(tracker.hold(request), false);
  assert.equal(tracker.size, 0);
  tracker.release(request);
  assert.equal(tracker.size, 0, "releasing a closed activity changes nothing");
});
