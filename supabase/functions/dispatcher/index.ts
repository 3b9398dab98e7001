import { serveDispatcher } from "../../../shared/dispatch/service.ts";

// Four batch loops: the first two take express batches (fair-read.ts), the other two full
// ones. Two express loops cut a quiet enterprise's p99 during another's flood by about a
// quarter in the fairness bench (one express loop serves one notification's Novu call at a
// time). dispatcher-express serves the same express batches in an isolate of its own. Since
// full batches go in bulk calls, a full batch is mostly PostgreSQL's work (claim and mark sent):
// two at once keep both cores busy, and a third only made every query wait longer (throughput
// bench, Novu's runs deferred, same hour: 954-1,011/s with three, 1,107/s with two; a critical
// notification's p99 during a flood 687 -> 553 ms).
serveDispatcher({
  functionName: "dispatcher",
  dispatchLoops: 4,
  expressLoops: 2,
  expressOnly: false,
  cancellationLane: true,
});
