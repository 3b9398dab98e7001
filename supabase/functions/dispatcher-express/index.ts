import { serveDispatcher } from "../../../shared/dispatch/service.ts";

// Express batches only (the urgent queue and short lanes), beside the dispatcher's flood work:
// see DispatcherInstance in shared/dispatch/service.ts. Two loops, so a quiet enterprise's next
// notification does not wait for the previous one's Novu call.
serveDispatcher({
  functionName: "dispatcher-express",
  dispatchLoops: 2,
  expressLoops: 2,
  expressOnly: true,
  cancellationLane: false,
});
