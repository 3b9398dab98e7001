import assert from "node:assert/strict";
import type { DispatchFailure } from "./errors.ts";
import type { Queue, QueueMessage } from "./queue.ts";
import { createSettlement } from "./settle.ts";
import { DEFAULT_DISPATCH_SETTINGS } from "./settings.ts";

function recordingQueue() {
  const calls: string[] = [];
  const queue: Queue = {
    name: "notification_cancellation",
    read: () => Promise.resolve([]),
    delete: (ids) => Promise.resolve(void calls.push(`delete ${ids.join(",")}`)),
    delay: (id, seconds) => Promise.resolve(void calls.push(`delay ${id} ${seconds}s`)),
    send: (id, attempts, seconds) =>
      Promise.resolve(void calls.push(`send ${id} attempts=${attempts} ${seconds}s`)),
    secondsUntilNextVisible: () => Promise.resolve(null),
  };
  return { queue, calls };
}

const message = (msgId: number, readCount = 1): QueueMessage => ({
  queue: "notification_cancellation",
  msgId,
  readCount,
  attemptsBefore: 0,
  notificationId: msgId * 10,
});

const transient: DispatchFailure = {
  kind: "novu_unavailable",
  retryable: true,
  message: "503",
  upstreamStatus: 503,
  upstreamBody: null,
};

Deno.test("done messages are deleted in one call, the others come back at their time", async () => {
  const { queue, calls } = recordingQueue();
  const settlement = createSettlement(4, DEFAULT_DISPATCH_SETTINGS, () => 0.5);
  settlement.done(message(1));
  settlement.later(message(2), 90);
  settlement.done(message(3));
  // attempt 3: 2000 * 2^2 = 8000 ms, equal jitter at 0.5 -> 6000 ms -> 6 s
  settlement.retry(message(4, 3), transient);
  const result = await settlement.apply(() => queue);
  assert.deepEqual(calls, ["delete 1,3", "delay 2 90s", "delay 4 6s"]);
  assert.deepEqual(result, { messages: 4, nextVisibleInSeconds: 6 });
});

Deno.test("a retry waits at least Novu's Retry-After", async () => {
  const { queue, calls } = recordingQueue();
  const settlement = createSettlement(1, DEFAULT_DISPATCH_SETTINGS, () => 0);
  settlement.retry(message(7, 1), { ...transient, retryAfterMs: 42_000 });
  assert.deepEqual(await settlement.apply(() => queue), { messages: 1, nextVisibleInSeconds: 42 });
  assert.deepEqual(calls, ["delay 7 42s"]);
});

Deno.test("nothing to settle makes no queue call and asks for no follow-up", async () => {
  const { queue, calls } = recordingQueue();
  const result = await createSettlement(0, DEFAULT_DISPATCH_SETTINGS, Math.random).apply(() =>
    queue
  );
  assert.deepEqual(calls, []);
  assert.deepEqual(result, { messages: 0, nextVisibleInSeconds: null });
});
