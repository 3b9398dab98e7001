/**
 * Send: one Novu call per event, each under its own Idempotency-Key (see novu-event.ts), and
 * each event's outcome; and the cancellation of a notification's events.
 */
import { chunkTransactionIds, novuIdempotencyKeys } from "../novu/transaction-id.ts";
import type { NovuEvent, NovuTrigger } from "./novu-event.ts";
import type { RetractionBoard } from "./retractions.ts";
import { classifyNovuError, type DispatchFailure } from "./errors.ts";

/**
 * Novu's answer to an accepted trigger (201): `processed`, or why it will not run the event
 * (`trigger_not_active`, `no_workflow_steps_defined`, `invalid_recipients`, `error`, ...).
 */
export interface TriggerOutcome {
  status: string;
  error?: string[];
}

/** The Novu calls the dispatcher makes; errors are thrown as the SDK throws them. */
export interface NovuPort {
  trigger(event: NovuEvent, idempotencyKey: string): Promise<TriggerOutcome>;
  /** One bulk call (`POST /v1/events/trigger/bulk`): each event's answer, in their order. */
  triggerBulk(triggers: NovuTrigger[], idempotencyKey: string): Promise<TriggerOutcome[]>;
  cancel(transactionId: string): Promise<void>;
}

export interface SendDependencies {
  novu: NovuPort;
  retractions: RetractionBoard;
  now: () => number;
  log: (message: string, context?: Record<string, unknown>) => void;
}

export async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

/**
 * Triggers each event under `Idempotency-Key: <transactionId>`, the same key in whatever batch
 * and on whatever attempt it travels (after a re-sync, the keys of `novuIdempotencyKeys` in turn), and reports each one's failure (absent = accepted): one
 * refused event fails only its own notification. An event of a notification retracted
 * meanwhile (see retractions.ts) is not sent, or is cancelled as soon as its call returns.
 */
export async function sendEvents(
  dependencies: SendDependencies,
  events: NovuEvent[],
  concurrency: number,
): Promise<Map<string, DispatchFailure>> {
  const failures = new Map<string, DispatchFailure>();
  const { novu, retractions } = dependencies;
  await inParallel(events, concurrency, async (event) => {
    if (retractions.has(event.notificationId)) return;
    let failure: DispatchFailure | null = null;
    for (const key of novuIdempotencyKeys(event.transactionId, event.resyncs ?? 0)) {
      try {
        failure = classifyTriggerOutcome(await novu.trigger(event, key));
      } catch (error) {
        failure = classifyNovuError(error, dependencies.now());
      }
      if (failure?.kind !== "novu_workflow_not_found") break;
    }
    if (failure) {
      failures.set(event.transactionId, failure);
      return;
    }
    await cancelIfRetracted(dependencies, event);
  });
  return failures;
}

/** Takes back at once an accepted event whose notification was retracted while it was sent. */
export async function cancelIfRetracted(
  dependencies: SendDependencies,
  event: NovuEvent,
): Promise<void> {
  if (!dependencies.retractions.has(event.notificationId)) return;
  await dependencies.novu.cancel(event.transactionId).catch((error) =>
    dependencies.log("cancelling an event retracted while it was sent failed", {
      transactionId: event.transactionId,
      error: String(error),
    })
  );
}

/**
 * What each `status` of Novu's answer to an accepted trigger (201) means for the notification,
 * one row per value of `TriggerEventResponseDtoStatus` in `@novu/api` 3.19.1
 * (src/models/components/triggereventresponsedto.ts): only `processed` is delivered (SENT);
 * every other status is Novu's final word on that event, not a passing fault, so retrying the
 * same trigger would get the same answer: FAILED at once (`novu_rejected`) with Novu's answer in
 * `error_details`. A status not in this table (a newer Novu) is never taken as success.
 */
export const TRIGGER_STATUS_OUTCOMES: Readonly<Record<string, "sent" | "failed">> = {
  processed: "sent",
  error: "failed",
  trigger_not_active: "failed",
  no_workflow_active_steps_defined: "failed",
  no_workflow_steps_defined: "failed",
  no_tenant_found: "failed",
  invalid_recipients: "failed",
};

/** The event's failure from Novu's per-event answer, or null when Novu will run it. */
export function classifyTriggerOutcome(outcome: TriggerOutcome): DispatchFailure | null {
  if (TRIGGER_STATUS_OUTCOMES[outcome.status] === "sent") return null;
  return {
    kind: "novu_rejected",
    retryable: false,
    message: `Novu accepted the trigger but will not run it: ${outcome.status}${
      outcome.error && outcome.error.length > 0 ? ` (${outcome.error.join("; ")})` : ""
    }`,
    upstreamStatus: 201,
    upstreamBody: JSON.stringify(outcome),
  };
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
