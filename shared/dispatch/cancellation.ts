/**
 * One cancellation batch: `notify.cancel_notification` queued the retracted notifications
 * whose Novu events must be cancelled; a failed cancel comes back after a backoff.
 */
import type { BatchResult, DispatchDependencies } from "./dependencies.ts";
import { classifyNovuError } from "./errors.ts";
import { cancelNovuEvents, inParallel } from "./send.ts";
import { createSettlement } from "./settle.ts";
import type { DispatchSettings } from "./settings.ts";

export async function processCancellationBatch(
  dependencies: DispatchDependencies,
  settings: DispatchSettings,
): Promise<BatchResult> {
  const { queues, store } = dependencies;
  const messages = await queues.cancellation.read(
    settings.visibilityTimeoutSeconds,
    settings.batchSize,
  );
  if (messages.length === 0) return { messages: 0, nextVisibleInSeconds: null };
  // First of all, so that this instance's dispatch lane stops sending them (retractions.ts).
  for (const message of messages) {
    if (message.notificationId !== null) dependencies.retractions.note(message.notificationId);
  }
  const settlement = createSettlement(messages.length, settings, dependencies.random);
  const counts = await store.recipientCounts(
    messages.flatMap((message) => message.notificationId === null ? [] : [message.notificationId]),
  );
  await inParallel(messages, settings.triggerConcurrency, async (message) => {
    const count = message.notificationId === null ? undefined : counts.get(message.notificationId);
    if (count === undefined) return settlement.done(message);
    try {
      await cancelNovuEvents(dependencies.novu, message.notificationId!, count);
      settlement.done(message);
    } catch (error) {
      const failure = classifyNovuError(error, dependencies.now());
      dependencies.log("cancelling Novu events failed; will retry", {
        notificationId: message.notificationId,
        kind: failure.kind,
      });
      settlement.retry(message, failure);
    }
  });
  return await settlement.apply(() => queues.cancellation);
}
