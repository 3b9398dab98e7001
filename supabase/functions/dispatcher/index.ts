import { serveDispatcher } from "../../../shared/dispatch/service.ts";

// Five batch loops: the first two take express batches (fair-read.ts), the other three full
// ones. Two express loops cut a quiet enterprise's p99 during another's flood by about a
// quarter in the fairness bench (one express loop serves one notification's Novu call at a
// time). dispatcher-express serves the same express batches in an isolate of its own.
serveDispatcher({
  functionName: "dispatcher",
  dispatchLoops: 5,
  expressLoops: 2,
  expressOnly: false,
  cancellationLane: true,
});
