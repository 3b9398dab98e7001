/**
 * One dispatch batch, in the order a reader follows it:
 * queue (fair read) → claim → plan (workflows) → prepare → send → settle.
 * All I/O is injected (`DispatchDependencies`), so the whole flow runs in unit tests on fakes.
 */
import { chunkCount, notificationTransactionId } from "../novu/transaction-id.ts";
import {
  BULK_EVENTS,
  eventsOfRequest,
  groupForBulk,
  newBulkRequest,
  type ReadyNotification,
  sendBulkRequest,
} from "./bulk.ts";
import { type ClaimedNotification, decideMessage } from "./decide.ts";
import { delaySeconds } from "./backoff.ts";
import type { BatchResult, DispatchDependencies } from "./dependencies.ts";
import {
  type DispatchFailure,
  errorDetails,
  isWait,
  novuSyncHoldFailure,
  permanentFailure,
} from "./errors.ts";
import { readFairBatch } from "./fair-read.ts";
import type { NovuEvent } from "./novu-event.ts";
import { prepare } from "./prepare.ts";
import { attemptsOf, type QueueMessage } from "./queue.ts";
import { cancelNovuEvents, combineFailures, inParallel, sendEvents } from "./send.ts";
import { createSettlement, type Settlement, soonest } from "./settle.ts";
import type { DispatchSettings } from "./settings.ts";
import { workflowPlanKey } from "./store.ts";

interface Sending {
  message: QueueMessage;
  notification: ClaimedNotification;
}

/** Looks at a held notification at most this often before putting its message back. */
const MAX_HOLDS = 2;
/** Wakes a held batch this long after the instant, so the claim finds the row due. */
const HOLD_MARGIN_MS = 5;

export async function processDispatchBatch(
  dependencies: DispatchDependencies,
  settings: DispatchSettings,
  /** Short lanes only, a small batch (fair-read.ts EXPRESS_BATCH_SIZE). */
  express = false,
): Promise<BatchResult> {
  const { queues } = dependencies;

  // Queue: fair across enterprises, by priority, within rate limits. One message per
  // notification carries the work; a duplicate (e.g. a manual retry while an old message was
  // still around) is redundant.
  const { messages, throttledForMs } = await readFairBatch(dependencies, settings, express);
  const throttledForSeconds = throttledForMs === null ? null : delaySeconds(throttledForMs);
  if (messages.length === 0) return { messages: 0, nextVisibleInSeconds: throttledForSeconds };
  const settlement = createSettlement(messages.length, settings, dependencies.random);
  const firstMessage = new Map<number, QueueMessage>();
  for (const message of messages) {
    if (message.notificationId === null || firstMessage.has(message.notificationId)) {
      settlement.done(message);
    } else {
      firstMessage.set(message.notificationId, message);
    }
  }

  // Claim: PENDING → PROCESSING; the rest is deleted, held until its instant, or waits.
  let claim = await claimMessages(dependencies, settlement, settings, firstMessage, true);
  await deliver(dependencies, settlement, settings, claim.sending);
  // Due within a second (a scheduled message surfaces up to a second early, pgmq's delays
  // being whole seconds): wait here and claim them at their instant. A second look that finds
  // one still not due (the database's clock a little behind) holds it once more, then puts it
  // back.
  for (let look = 1; claim.held.size > 0; look += 1) {
    const waitMs = Math.max(0, claim.dueAt - dependencies.now());
    await dependencies.sleep(waitMs + HOLD_MARGIN_MS);
    claim = await claimMessages(dependencies, settlement, settings, claim.held, look < MAX_HOLDS);
    await deliver(dependencies, settlement, settings, claim.sending);
  }
  const result = await settlement.apply((name) => queues.dispatch.queue(name));
  return {
    ...result,
    nextVisibleInSeconds: soonest(result.nextVisibleInSeconds, throttledForSeconds),
  };
}

/** A batch's claim outcome: what to send now, and what is held until `dueAt` (epoch ms). */
interface Claim {
  sending: Sending[];
  held: Map<number, QueueMessage>;
  dueAt: number;
}

/** Claims the messages' notifications and decides each message (decide.ts). */
async function claimMessages(
  dependencies: DispatchDependencies,
  settlement: Settlement,
  settings: DispatchSettings,
  messages: Map<number, QueueMessage>,
  mayHold: boolean,
): Promise<Claim> {
  const { store } = dependencies;
  const claim: Claim = { sending: [], held: new Map(), dueAt: 0 };
  if (messages.size === 0) return claim;
  const states = new Map(
    (await store.claim([...messages.keys()])).map((state) => [state.id, state]),
  );
  const poisoned: Sending[] = [];
  for (const [notificationId, message] of messages) {
    const decision = decideMessage(states.get(notificationId), mayHold);
    if (decision.action === "send") {
      // Every settled attempt stops at maxAttempts, so a message read more often than that
      // outlived attempts that never settled: processing died each time (issue 7, finding 2).
      const target = attemptsOf(message) > settings.maxAttempts ? poisoned : claim.sending;
      target.push({ message, notification: decision.notification });
    } else if (decision.action === "hold") {
      claim.held.set(notificationId, message);
      claim.dueAt = Math.max(claim.dueAt, dependencies.now() + decision.ms);
    } else if (decision.action === "delay") settlement.later(message, decision.seconds);
    else settlement.done(message);
  }
  for (const { message, notification } of poisoned) {
    await settleFailure(dependencies, settlement, settings, message, notification, poison(message));
  }
  return claim;
}

/** Plan, prepare, send and settle the claimed notifications. */
async function deliver(
  dependencies: DispatchDependencies,
  settlement: Settlement,
  settings: DispatchSettings,
  sending: Sending[],
): Promise<void> {
  if (sending.length === 0) return;
  const { store } = dependencies;
  // Plan: the workflow of each notification, as its enterprise may use it, and whether Novu
  // has been synced since its latest change (Novu Cloud runs only synced workflows).
  const workflowRequests = sending.flatMap(({ notification }) =>
    notification.workflowId === null
      ? []
      : [{ workflowId: notification.workflowId, enterpriseId: notification.enterpriseId }]
  );
  // One query after the other: a batch loop holds at most one database connection at a time.
  const plans = await store.loadWorkflowPlans(workflowRequests);
  const syncStates = workflowRequests.length === 0 ? new Map() : await store.novuSyncStates(
    sending.flatMap(({ notification }) =>
      notification.workflowId === null ? [] : [notification.id]
    ),
    false,
  );

  const resyncsOf = (id: number) => syncStates.get(id)?.resyncs ?? 0;
  const outcomes = new Map<number, DispatchFailure | null>();
  const settleOutcome = (
    notificationId: number,
    events: NovuEvent[],
    failures: Map<string, DispatchFailure>,
  ) => {
    outcomes.set(
      notificationId,
      combineFailures(events.map((event) => failures.get(event.transactionId))),
    );
  };

  // Bulk requests still open for any of these (their answer was lost, or a dispatcher died
  // after the call): each goes again whole, as recorded, under its key (bulk.ts). Only a
  // notification on a later attempt can be in one: its request was recorded on an earlier
  // attempt, and every outcome that leaves it open (a lost answer, a 5xx, a crash) spends
  // that attempt. (A 429 gives the attempt back, but Novu ran nothing then, so the
  // notification may go anew.) First attempts, nearly all of them, ask nothing.
  const bulkKeys: string[] = [];
  const resent = new Set<number>();
  const sendingIds = new Set(sending.map(({ notification }) => notification.id));
  const laterAttempts = sending.flatMap(({ message, notification }) =>
    attemptsOf(message) > 1 ? [notification.id] : []
  );
  const openRequests = laterAttempts.length === 0
    ? []
    : await dependencies.bulkLedger.open(laterAttempts);
  for (const request of openRequests) {
    bulkKeys.push(request.idempotencyKey);
    const members = new Set(
      request.notificationIds.filter((id) => sendingIds.has(id) && !resent.has(id)),
    );
    members.forEach((id) => resent.add(id));
    const events = eventsOfRequest(request, members, resyncsOf);
    const failures = await sendBulkRequest(dependencies, request, events, false);
    for (const id of members) {
      settleOutcome(id, events.filter((event) => event.notificationId === id), failures);
    }
  }
  const fresh = sending.filter(({ notification }) => !resent.has(notification.id));

  // Prepare: events to trigger, or a failure found before any Novu call.
  const prepareEvents = async ({ notification }: Sending): Promise<NovuEvent[] | null> => {
    const plan = notification.workflowId === null ? undefined : plans.get(
      workflowPlanKey({
        workflowId: notification.workflowId,
        enterpriseId: notification.enterpriseId,
      }),
    );
    const syncState = syncStates.get(notification.id);
    if (plan !== undefined && syncState?.held) {
      outcomes.set(notification.id, novuSyncHoldFailure(syncState));
      return null;
    }
    const preparation = await prepare(dependencies, notification, plan);
    if ("failure" in preparation) {
      outcomes.set(notification.id, preparation.failure);
      return null;
    }
    const resyncs = resyncsOf(notification.id);
    return resyncs === 0
      ? preparation.events
      : preparation.events.map((event) => ({ ...event, resyncs }));
  };
  // A notification's events (one per chunk of recipients) go one after another.
  const sendAlone = async ({ notificationId, events }: ReadyNotification) =>
    settleOutcome(notificationId, events, await sendEvents(dependencies, events, 1));

  const expectedEvents = fresh.reduce(
    (sum, { notification }) => sum + chunkCount(notification.recipients.length),
    0,
  );
  if (expectedEvents < BULK_EVENTS) {
    // Too few for a full bulk call: prepare and send pipelined in the batch's fair order
    // (fair-read.ts), each notification's events going out as soon as it is prepared, so the
    // first ones do not wait for the last one's render, and renders overlap with Novu's round
    // trips. `triggerConcurrency` notifications are in flight at once.
    await inParallel(fresh, settings.triggerConcurrency, async (each) => {
      const events = await prepareEvents(each);
      if (events) await sendAlone({ notificationId: each.notification.id, events });
    });
  } else {
    // Enough for full bulk calls: prepare all, then send full calls in bulk and the rest alone.
    const prepared: Array<ReadyNotification | null> = [];
    await inParallel([...fresh.keys()], settings.triggerConcurrency, async (index) => {
      const events = await prepareEvents(fresh[index]);
      prepared[index] = events && { notificationId: fresh[index].notification.id, events };
    });
    const ready = prepared.filter((each): each is ReadyNotification => each !== null);
    // A notification re-synced before walks its keys alone (send.ts); one retracted meanwhile
    // is skipped there.
    const mayGoInBulk = ({ notificationId }: ReadyNotification) =>
      resyncsOf(notificationId) === 0 && !dependencies.retractions.has(notificationId);
    const { bulks, singles } = groupForBulk(ready.filter(mayGoInBulk));
    await Promise.all([
      (async () => {
        for (const group of bulks) {
          const request = newBulkRequest(group);
          bulkKeys.push(request.idempotencyKey);
          const events = group.flatMap((each) => each.events);
          const failures = await sendBulkRequest(dependencies, request, events, true);
          for (const each of group) settleOutcome(each.notificationId, each.events, failures);
        }
      })(),
      inParallel(
        [...singles, ...ready.filter((each) => !mayGoInBulk(each))],
        settings.triggerConcurrency,
        sendAlone,
      ),
    ]);
  }

  // Novu does not know a workflow (deleted in Novu, or lost): ask for a re-sync and wait for
  // it as for any sync, within the same limit; the next trigger goes under a new key.
  const unknown = sending.flatMap(({ notification }) =>
    outcomes.get(notification.id)?.kind === "novu_workflow_not_found" ? [notification.id] : []
  );
  if (unknown.length > 0) {
    for (const [id, syncState] of await store.novuSyncStates(unknown, true)) {
      if (syncState.held) {
        outcomes.set(id, novuSyncHoldFailure(syncState, outcomes.get(id) ?? undefined));
      }
    }
  }

  // Settle: SENT, retried or FAILED, and each message done or back later.
  await settleSent(
    dependencies,
    settlement,
    settings,
    sending.filter(({ notification }) => outcomes.get(notification.id) === null),
  );
  for (const { message, notification } of sending) {
    const failure = outcomes.get(notification.id);
    if (failure) {
      await settleFailure(dependencies, settlement, settings, message, notification, failure);
    }
  }
  // Bulk requests whose notifications are all settled now can never be resent.
  if (bulkKeys.length > 0) await dependencies.bulkLedger.close(bulkKeys);
}

function poison(message: QueueMessage): DispatchFailure {
  return permanentFailure(
    "poison",
    `processing stopped without an outcome ${
      attemptsOf(message) - 1
    } times (the dispatcher died or hit a limit while handling this notification); not tried again`,
  );
}

/**
 * FAILED (permanent, or the last attempt) or back to PENDING for a retry. A wait (`isWait`: a
 * 429, Novu asking to wait, issue 7 finding 7; a workflow awaiting its Novu sync, issue 10) is
 * not a failed attempt: the notification waits and the attempt is given back.
 */
async function settleFailure(
  dependencies: DispatchDependencies,
  settlement: Settlement,
  settings: DispatchSettings,
  message: QueueMessage,
  notification: ClaimedNotification,
  failure: DispatchFailure,
): Promise<void> {
  const waits = isWait(failure);
  const attempts = waits ? attemptsOf(message) - 1 : attemptsOf(message);
  const final = !failure.retryable || (!waits && attempts >= settings.maxAttempts);
  const status = await dependencies.store.settleFailure(
    notification.id,
    final ? "fail" : "retry",
    errorDetails(failure, attempts),
  );
  dependencies.log(final ? "notification failed" : "notification will be retried", {
    notificationId: notification.id,
    kind: failure.kind,
    attempts,
  });
  if (status !== "PENDING") settlement.done(message);
  else if (waits) settlement.wait(message, notification.id, failure);
  else settlement.retry(message, failure);
}

async function settleSent(
  dependencies: DispatchDependencies,
  settlement: Settlement,
  settings: DispatchSettings,
  sent: Sending[],
): Promise<void> {
  if (sent.length === 0) return;
  const statuses = await dependencies.store.markSent(
    sent.map(({ notification }) => ({
      id: notification.id,
      transactionId: notificationTransactionId(notification.id),
    })),
  );
  for (const { message } of sent) settlement.done(message);
  // A cancel won the race after the claim: take back what was just triggered, all at once
  // rather than one notification after another.
  const retracted = sent.filter(({ notification }) =>
    statuses.get(notification.id) === "RETRACTED"
  );
  await inParallel(retracted, settings.triggerConcurrency, async ({ notification }) => {
    await cancelNovuEvents(dependencies.novu, notification.id, notification.recipients.length)
      .catch((error) =>
        dependencies.log("cancelling a retracted notification's events failed", {
          notificationId: notification.id,
          error: String(error),
        })
      );
  });
}
