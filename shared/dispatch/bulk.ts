/**
 * Bulk triggers: a full batch's events go to Novu as one `POST /v1/events/trigger/bulk`
 * instead of one request each. One SDK call and one round trip for 100 events costs the
 * dispatcher about a tenth of the CPU of 100 single triggers (docs/internals.md "Bulk
 * triggers").
 *
 * Exactly once (issue 7) holds through a ledger (`BulkLedger`). Novu's Idempotency-Key names a
 * request, not its events. So a bulk request is recorded before it is sent, and while any of
 * its notifications may still be sent, that notification is sent again only by resending the
 * whole request as recorded, under its key: Novu replays its first answer rather than running
 * the events twice.
 *
 * An event Novu refuses inside a bulk call (Novu's ProcessBulkTrigger answers it
 * `status: "error"` and runs the others), or every event of a bulk call Novu refuses whole
 * (a 4xx), goes on its own under its own key (send.ts), so its own answer decides exactly as
 * if it had never travelled in bulk: a re-sync for `workflow_not_found`, FAILED for a payload
 * Novu refuses.
 */
import { notificationIdOfTransactionId } from "../novu/transaction-id.ts";
import { classifyNovuError, type DispatchFailure } from "./errors.ts";
import { type NovuEvent, type NovuTrigger, novuTrigger } from "./novu-event.ts";
import {
  cancelIfRetracted,
  type SendDependencies,
  sendEvents,
  type TriggerOutcome,
} from "./send.ts";

/**
 * Events per bulk call: Novu's limit per call, and what one bulk call costs of the plan's
 * Events rate limit in tokens ("bulk requests cost 100 request tokens",
 * https://docs.novu.co/api-reference/rate-limiting). Only a full call costs no more of that
 * budget than its events sent one by one, so only full calls go in bulk.
 */
export const BULK_EVENTS = 100;

/** A bulk trigger as recorded before it is sent, and as it is resent. */
export interface BulkRequest {
  idempotencyKey: string;
  notificationIds: number[];
  triggers: NovuTrigger[];
}

/** Where bulk requests are kept until none of their notifications can be sent again. */
export interface BulkLedger {
  /** Records a request before it is sent (committed before the call). */
  record(request: BulkRequest): Promise<void>;
  /** The recorded requests carrying any of these notifications. */
  open(notificationIds: number[]): Promise<BulkRequest[]>;
  /** Forgets those of these requests whose notifications are all settled. */
  close(idempotencyKeys: string[]): Promise<void>;
  /** Forgets a request whose first send Novu refused whole: nothing of it ran. */
  forget(idempotencyKey: string): Promise<void>;
}

export interface BulkDependencies extends SendDependencies {
  bulkLedger: BulkLedger;
}

/** A notification's events, ready to send. */
export interface ReadyNotification {
  notificationId: number;
  events: NovuEvent[];
}

/**
 * Splits ready notifications, in their order, into full bulk calls of `BULK_EVENTS` events and
 * the rest, which go event by event. A notification's events (its chunks) stay in one call, so
 * one answer settles the notification; one that would overflow the call being filled waits
 * for a later one.
 */
export function groupForBulk(
  ready: ReadyNotification[],
): { bulks: ReadyNotification[][]; singles: ReadyNotification[] } {
  const bulks: ReadyNotification[][] = [];
  const inBulk = new Set<ReadyNotification>();
  let filling: ReadyNotification[] = [];
  let filled = 0;
  for (const notification of ready) {
    if (filled + notification.events.length > BULK_EVENTS) continue;
    filling.push(notification);
    filled += notification.events.length;
    if (filled === BULK_EVENTS) {
      bulks.push(filling);
      filling.forEach((each) => inBulk.add(each));
      filling = [];
      filled = 0;
    }
  }
  // What did not make a full call (the partial one, any that overflowed) goes event by event.
  return { bulks, singles: ready.filter((notification) => !inBulk.has(notification)) };
}

/** A new bulk request for these notifications' events, under a key of its own. */
export function newBulkRequest(notifications: ReadyNotification[]): BulkRequest {
  return {
    idempotencyKey: `xnovu-bulk-${crypto.randomUUID()}`,
    notificationIds: notifications.map((notification) => notification.notificationId),
    triggers: notifications.flatMap((notification) => notification.events.map(novuTrigger)),
  };
}

/**
 * The events of a recorded request that belong to the given notifications, as events again
 * (with their re-sync count, for an event that must then go on its own).
 */
export function eventsOfRequest(
  request: BulkRequest,
  notificationIds: Set<number>,
  resyncsOf: (notificationId: number) => number,
): NovuEvent[] {
  return request.triggers.flatMap((trigger) => {
    const notificationId = notificationIdOfTransactionId(trigger.transactionId);
    if (notificationId === undefined || !notificationIds.has(notificationId)) return [];
    const resyncs = resyncsOf(notificationId);
    return [{ ...trigger, notificationId, ...(resyncs > 0 && { resyncs }) }];
  });
}

/**
 * Sends a bulk request (recorded first when `record`) and reports the failure of each of
 * `events` (absent = Novu accepted it); `events` are those of the request this batch settles,
 * all of them for a new request, the batch's own for a resent one.
 *
 * - 201: each accepted event is sent; each Novu refused goes on its own (see the module doc).
 * - Refused whole (a 4xx but 408, 409 and 429): nothing ran, each event goes on its own.
 * - Any other failure (timeout, 5xx, 409, 429, the network): the outcome is unknown or the
 *   call must wait; the events fail with it, and the request stays recorded to be resent whole.
 *
 * A first send refused whole (a 4xx, a 429) ran nothing, so the request is forgotten at once:
 * its notifications go anew later, and a lost answer of theirs in a new request must not have
 * this one resent too (Novu would run it then). A resend's refusal says nothing of the first
 * send, which may have run: that request stays.
 */
export async function sendBulkRequest(
  dependencies: BulkDependencies,
  request: BulkRequest,
  events: NovuEvent[],
  record: boolean,
): Promise<Map<string, DispatchFailure>> {
  if (record) await dependencies.bulkLedger.record(request);
  let outcomes: TriggerOutcome[] | undefined;
  let failure: DispatchFailure | undefined;
  try {
    outcomes = await dependencies.novu.triggerBulk(request.triggers, request.idempotencyKey);
    if (outcomes.length !== request.triggers.length) {
      failure = {
        kind: "internal_error",
        retryable: true,
        message: `Novu answered ${outcomes.length} results to a bulk call of ` +
          `${request.triggers.length} events`,
        upstreamStatus: 201,
        upstreamBody: null,
      };
    }
  } catch (error) {
    failure = classifyNovuError(error, dependencies.now());
  }
  if (record && (failure?.kind === "novu_rejected" || failure?.kind === "novu_rate_limited")) {
    await dependencies.bulkLedger.forget(request.idempotencyKey);
  }
  const indexOf = new Map(
    request.triggers.map((trigger, index) => [trigger.transactionId, index]),
  );
  const failures = new Map<string, DispatchFailure>();
  const alone: NovuEvent[] = [];
  const accepted: NovuEvent[] = [];
  for (const event of events) {
    if (failure?.kind === "novu_rejected") alone.push(event);
    else if (failure) failures.set(event.transactionId, failure);
    else if (outcomes![indexOf.get(event.transactionId)!].status === "processed") {
      accepted.push(event);
    } else alone.push(event);
  }
  for (const [transactionId, eventFailure] of await sendEvents(dependencies, alone, 1)) {
    failures.set(transactionId, eventFailure);
  }
  for (const event of accepted) await cancelIfRetracted(dependencies, event);
  return failures;
}
