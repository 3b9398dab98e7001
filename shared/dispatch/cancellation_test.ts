import assert from "node:assert/strict";
import { processCancellationBatch } from "./cancellation.ts";
import type { DispatchDependencies } from "./dependencies.ts";
import type { Queue, QueueMessage } from "./queue.ts";
import { createRetractionBoard } from "./retractions.ts";
import { DEFAULT_DISPATCH_SETTINGS } from "./settings.ts";

function setup(messages: QueueMessage[], failingTransactionIds: string[]) {
  const log: string[] = [];
  const queue = (name: Queue["name"], read: QueueMessage[]): Queue => ({
    name,
    read: () => Promise.resolve(read),
    delete: (ids) => Promise.resolve(void log.push(`${name} delete ${ids.join(",")}`)),
    delay: (id, seconds) => Promise.resolve(void log.push(`${name} delay ${id} ${seconds}s`)),
    send: (id, attempts, seconds) =>
      Promise.resolve(void log.push(`${name} send ${id} attempts=${attempts} ${seconds}s`)),
    secondsUntilNextVisible: () => Promise.resolve(null),
  });
  const unused = () => Promise.reject(new Error("not expected"));
  const board = createRetractionBoard(() => 0);
  const dependencies = {
    queues: { cancellation: queue("notification_cancellation", messages) },
    store: {
      claim: unused,
      loadWorkflowPlans: unused,
      markSent: unused,
      settleFailure: unused,
      // Notification 30 has three recipient chunks' worth of recipients; 40 is gone.
      recipientCounts: () => Promise.resolve(new Map([[10, 1], [30, 250]])),
      novuSyncStates: unused,
    },
    novu: {
      trigger: unused,
      cancel: (transactionId: string) => {
        log.push(`cancel ${transactionId}`);
        return failingTransactionIds.includes(transactionId)
          ? Promise.reject(Object.assign(new Error("down"), { statusCode: 503, body: "" }))
          : Promise.resolve();
      },
    },
    retractions: board,
    render: unused,
    validatePayload: () => ({ valid: true }),
    now: () => 0,
    random: () => 0.5,
    log: () => {},
  } as unknown as DispatchDependencies;
  return { dependencies, log, board };
}

Deno.test("every chunk's event is cancelled; a failed cancel comes back after a backoff", async () => {
  const { dependencies, log, board } = setup(
    [
      {
        queue: "notification_cancellation",
        msgId: 1,
        readCount: 1,
        attemptsBefore: 0,
        notificationId: 10,
      },
      {
        queue: "notification_cancellation",
        msgId: 3,
        readCount: 1,
        attemptsBefore: 0,
        notificationId: 30,
      },
      {
        queue: "notification_cancellation",
        msgId: 4,
        readCount: 1,
        attemptsBefore: 0,
        notificationId: 40,
      },
    ],
    ["xnovu-30-2"],
  );
  const result = await processCancellationBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(log.filter((line) => line.startsWith("cancel")).sort(), [
    "cancel xnovu-10-0",
    "cancel xnovu-30-0",
    "cancel xnovu-30-1",
    "cancel xnovu-30-2",
  ]);
  // Attempt 1: 2000 ms exponential, equal jitter at 0.5 -> 1500 ms -> 2 s.
  const settled = log.filter((line) => line.startsWith("notification_cancellation"));
  // Cancels run in parallel: the deleted ids come in completion order.
  assert.deepEqual(settled.map((line) => line.replace("delete 4,1", "delete 1,4")), [
    "notification_cancellation delete 1,4",
    "notification_cancellation delay 3 2s",
  ]);
  assert.deepEqual(result, { messages: 3, nextVisibleInSeconds: 2 });
  assert.ok([10, 30, 40].every((id) => board.has(id)), "the dispatch lane is told at once");
});
