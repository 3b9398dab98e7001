/**
 * Send: the Novu calls of a batch (bulk where Novu allows) and each event's outcome, and the
 * cancellation of a notification's events.
 */
import { chunkTransactionIds } from "../novu/transaction-id.ts";
import { type NovuEvent, planTriggerCalls } from "./bulk.ts";
import { classifyNovuError, type DispatchFailure } from "./errors.ts";

/** The three Novu calls the dispatcher makes; errors are thrown as the SDK throws them. */
export interface NovuPort {
  trigger(event: NovuEvent, idempotencyKey: string): Promise<void>;
  triggerBulk(events: NovuEvent[], idempotencyKey: string): Promise<void>;
  cancel(transactionId: string): Promise<void>;
}

export interface SendDependencies {
  novu: NovuPort;
  now: () => number;
}

export async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

/**
 * Triggers the events and reports each one's failure (absent = accepted). A bulk call Novu
 * refuses outright is retried one event at a time, so one bad event does not fail the rest.
 */
export async function sendEvents(
  dependencies: SendDependencies,
  events: NovuEvent[],
  concurrency: number,
): Promise<Map<string, DispatchFailure>> {
  const failures = new Map<string, DispatchFailure>();
  const single = async (event: NovuEvent) => {
    try {
      await dependencies.novu.trigger(event, event.transactionId);
    } catch (error) {
      failures.set(event.transactionId, classifyNovuError(error, dependencies.now()));
    }
  };
  await inParallel(planTriggerCalls(events), concurrency, async (call) => {
    if (call.kind === "single") return await single(call.event);
    try {
      await dependencies.novu.triggerBulk(call.events, call.idempotencyKey);
    } catch (error) {
      const failure = classifyNovuError(error, dependencies.now());
      if (failure.retryable) {
        for (const event of call.events) failures.set(event.transactionId, failure);
      } else {
        for (const event of call.events) await single(event);
      }
    }
  });
  return failures;
}

/** The notification's outcome from its events': a permanent failure wins over a transient one. */
export function combineFailures(
  failures: Array<DispatchFailure | undefined>,
): DispatchFailure | null {
  const present = failures.filter((failure): failure is DispatchFailure => failure !== undefined);
  if (present.length === 0) return null;
  const permanent = present.find((failure) => !failure.retryable);
  if (permanent) return permanent;
  const retryAfterMs = Math.max(0, ...present.map((failure) => failure.retryAfterMs ?? 0));
  return { ...present[0], ...(retryAfterMs > 0 && { retryAfterMs }) };
}

/** Cancels every Novu event of a notification (one per chunk of recipients). */
export async function cancelNovuEvents(
  novu: NovuPort,
  notificationId: number,
  recipientCount: number,
): Promise<void> {
  await Promise.all(
    chunkTransactionIds(notificationId, recipientCount).map((transactionId) =>
      novu.cancel(transactionId)
    ),
  );
}
