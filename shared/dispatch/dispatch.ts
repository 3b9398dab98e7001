/**
 * One dispatch batch, in the order a reader follows it:
 * queue (read) → claim → plan (workflows) → prepare → send → settle.
 * All I/O is injected (`DispatchDependencies`), so the whole flow runs in unit tests on fakes.
 */
import { notificationTransactionId } from "../novu/transaction-id.ts";
import type { NovuEvent } from "./bulk.ts";
import { type ClaimedNotification, decideMessage } from "./decide.ts";
import type { BatchResult, DispatchDependencies } from "./dependencies.ts";
import { type DispatchFailure, errorDetails } from "./errors.ts";
import { prepare } from "./prepare.ts";
import type { QueueMessage } from "./queue.ts";
import { cancelNovuEvents, combineFailures, sendEvents } from "./send.ts";
import { createSettlement, type Settlement } from "./settle.ts";
import type { DispatchSettings } from "./settings.ts";
import { workflowPlanKey } from "./store.ts";

interface Sending {
  message: QueueMessage;
  notification: ClaimedNotification;
}

export async function processDispatchBatch(
  dependencies: DispatchDependencies,
  settings: DispatchSettings,
): Promise<BatchResult> {
  const { store, queues } = dependencies;

  // Queue: one message per notification carries the work; a duplicate (e.g. a manual retry
  // while an old message was still around) is redundant.
  const messages = await queues.dispatch.read(
    settings.visibilityTimeoutSeconds,
    settings.batchSize,
  );
  if (messages.length === 0) return { messages: 0, nextVisibleInSeconds: null };
  const settlement = createSettlement(messages.length, settings, dependencies.random);
  const firstMessage = new Map<number, QueueMessage>();
  for (const message of messages) {
    if (message.notificationId === null || firstMessage.has(message.notificationId)) {
      settlement.done(message);
    } else {
      firstMessage.set(message.notificationId, message);
    }
  }

  // Claim: PENDING → PROCESSING; the rest is deleted or waits for its scheduled_for.
  const states = new Map(
    (await store.claim([...firstMessage.keys()])).map((state) => [state.id, state]),
  );
  const sending: Sending[] = [];
  for (const [notificationId, message] of firstMessage) {
    const decision = decideMessage(states.get(notificationId));
    if (decision.action === "send") sending.push({ message, notification: decision.notification });
    else if (decision.action === "delay") settlement.later(message, decision.seconds);
    else settlement.done(message);
  }

  // Plan: the workflow of each notification, as its enterprise may use it.
  const plans = await store.loadWorkflowPlans(
    sending.flatMap(({ notification }) =>
      notification.workflowId === null
        ? []
        : [{ workflowId: notification.workflowId, enterpriseId: notification.enterpriseId }]
    ),
  );

  // Prepare: events to trigger, or a failure found before any Novu call.
  const outcomes = new Map<number, DispatchFailure | null>();
  const ready: Array<{ id: number; events: NovuEvent[] }> = [];
  for (const { notification } of sending) {
    const plan = notification.workflowId === null ? undefined : plans.get(
      workflowPlanKey({
        workflowId: notification.workflowId,
        enterpriseId: notification.enterpriseId,
      }),
    );
    const preparation = await prepare(dependencies, notification, plan);
    if ("failure" in preparation) outcomes.set(notification.id, preparation.failure);
    else ready.push({ id: notification.id, events: preparation.events });
  }

  // Send.
  const eventFailures = await sendEvents(
    dependencies,
    ready.flatMap(({ events }) => events),
    settings.triggerConcurrency,
  );
  for (const { id, events } of ready) {
    outcomes.set(
      id,
      combineFailures(events.map((event) => eventFailures.get(event.transactionId))),
    );
  }

  // Settle: SENT, retried or FAILED, and each message done or back later.
  await settleSent(
    dependencies,
    settlement,
    sending.filter(({ notification }) => outcomes.get(notification.id) === null),
  );
  for (const { message, notification } of sending) {
    const failure = outcomes.get(notification.id);
    if (!failure) continue;
    const final = !failure.retryable || message.readCount >= settings.maxAttempts;
    const status = await store.settleFailure(
      notification.id,
      final ? "fail" : "retry",
      errorDetails(failure, message.readCount),
    );
    dependencies.log(final ? "notification failed" : "notification will be retried", {
      notificationId: notification.id,
      kind: failure.kind,
      attempts: message.readCount,
    });
    if (status === "PENDING") settlement.retry(message, failure);
    else settlement.done(message);
  }
  return await settlement.apply(queues.dispatch);
}

async function settleSent(
  dependencies: DispatchDependencies,
  settlement: Settlement,
  sent: Sending[],
): Promise<void> {
  if (sent.length === 0) return;
  const statuses = await dependencies.store.markSent(
    sent.map(({ notification }) => ({
      id: notification.id,
      transactionId: notificationTransactionId(notification.id),
    })),
  );
  for (const { message, notification } of sent) {
    settlement.done(message);
    if (statuses.get(notification.id) === "RETRACTED") {
      // A cancel won the race after the claim: take back what was just triggered.
      await cancelNovuEvents(dependencies.novu, notification.id, notification.recipients.length)
        .catch((error) =>
          dependencies.log("cancelling a retracted notification's events failed", {
            notificationId: notification.id,
            error: String(error),
          })
        );
    }
  }
}
