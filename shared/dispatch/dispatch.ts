/**
 * One dispatcher batch: read queue messages, claim their notifications, check and render,
 * trigger Novu, settle each notification's status and its message. All I/O is injected
 * (`DispatchStore`, `NovuPort`, `RenderStep`, clock, random) so the whole flow runs in unit
 * tests against fakes.
 */
import { type Channel, CHANNELS } from "../workflows/channels.ts";
import {
  DynamicWorkflowError,
  planDynamicWorkflow,
  templateForStep,
} from "../workflows/dynamic.ts";
import type { RenderStep } from "../workflows/steps.ts";
import { TemplateError } from "../templates/mod.ts";
import { chunkTransactionIds, notificationTransactionId } from "../novu/transaction-id.ts";
import { backoffDelayMs, type BackoffPolicy, delaySeconds } from "./backoff.ts";
import { type NovuEvent, planTriggerCalls, type TriggerCall } from "./bulk.ts";
import { chunkRecipients } from "./chunking.ts";
import { type ClaimedNotification, decideMessage, type NotificationStatus } from "./decide.ts";
import {
  classifyNovuError,
  type DispatchFailure,
  type ErrorDetails,
  errorDetails,
  permanentFailure,
} from "./errors.ts";
import type { PayloadValidator } from "./payload-validation.ts";

export const DISPATCH_QUEUE = "notification_dispatch";
export const CANCELLATION_QUEUE = "notification_cancellation";
export type QueueName = typeof DISPATCH_QUEUE | typeof CANCELLATION_QUEUE;

export interface QueueMessage {
  msgId: number;
  /** pgmq's `read_ct`: how many times the message was read, this read included. */
  readCount: number;
  notificationId: number | null;
}

export interface DispatchWorkflow {
  id: number;
  /** The enterprise of the notification this row was loaded for (the filter that matched). */
  forEnterpriseId: string;
  workflowKey: string;
  workflowType: "STATIC" | "DYNAMIC";
  enterpriseId: string | null;
  name: string;
  description: string | null;
  defaultChannels: Channel[] | null;
  payloadSchema: Record<string, unknown> | null;
  templateOverrides: Record<string, unknown> | null;
  updatedAt: string;
}

export interface DispatchStore {
  readMessages(queue: QueueName, visibilitySeconds: number, limit: number): Promise<QueueMessage[]>;
  deleteMessages(queue: QueueName, msgIds: number[]): Promise<void>;
  delayMessage(queue: QueueName, msgId: number, seconds: number): Promise<void>;
  claim(notificationIds: number[]): Promise<ClaimedNotification[]>;
  /**
   * Published, active workflows by id, each only for an enterprise it belongs to (its own or
   * shared): `{ workflowId, enterpriseId }` pairs in, usable rows out.
   */
  loadWorkflows(
    requests: Array<{ workflowId: number; enterpriseId: string }>,
  ): Promise<DispatchWorkflow[]>;
  /** PROCESSING -> SENT for each; every id's status afterwards (null: row gone). */
  markSent(
    entries: Array<{ id: number; transactionId: string }>,
  ): Promise<Map<number, NotificationStatus | null>>;
  /** PROCESSING -> PENDING (`retry`) or FAILED (`fail`); the status afterwards. */
  settleFailure(
    id: number,
    move: "retry" | "fail",
    details: ErrorDetails,
  ): Promise<NotificationStatus | null>;
  recipientCounts(notificationIds: number[]): Promise<Map<number, number>>;
  /**
   * Seconds until the earliest message of either queue is visible: a scheduled send, a retry,
   * a message put back by another process, or 0 for one that became visible after a round's
   * last read. Null when both queues are empty.
   */
  secondsUntilNextVisible(): Promise<number | null>;
}

/** The three Novu calls the dispatcher makes; errors are thrown as the SDK throws them. */
export interface NovuPort {
  trigger(event: NovuEvent, idempotencyKey: string): Promise<void>;
  triggerBulk(events: NovuEvent[], idempotencyKey: string): Promise<void>;
  cancel(transactionId: string): Promise<void>;
}

export interface DispatchSettings {
  batchSize: number;
  visibilityTimeoutSeconds: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** Novu calls of one batch in flight at once. */
  triggerConcurrency: number;
}

export const DEFAULT_DISPATCH_SETTINGS: DispatchSettings = {
  batchSize: 100,
  visibilityTimeoutSeconds: 30,
  maxAttempts: 5,
  backoff: { baseMs: 2_000, capMs: 300_000 },
  triggerConcurrency: 4,
};

export interface DispatchDependencies {
  store: DispatchStore;
  novu: NovuPort;
  render: RenderStep;
  validatePayload: PayloadValidator;
  now: () => number;
  random: () => number;
  log: (message: string, context?: Record<string, unknown>) => void;
}

export interface BatchResult {
  /** Messages read (0 = the queue had nothing visible). */
  messages: number;
  /** The soonest a message this batch put back becomes visible, in seconds; null if none. */
  nextVisibleInSeconds: number | null;
}

type Preparation = { events: NovuEvent[] } | { failure: DispatchFailure };

function effectiveChannels(
  workflow: DispatchWorkflow,
  notification: ClaimedNotification,
): Channel[] {
  const offered = new Set(workflow.defaultChannels ?? CHANNELS);
  const asked = new Set(notification.channels ?? CHANNELS);
  return CHANNELS.filter((channel) => offered.has(channel) && asked.has(channel));
}

function novuPayload(notification: ClaimedNotification): Record<string, unknown> {
  return {
    ...notification.payload,
    _xnovu: {
      notification_id: notification.id,
      enterprise_id: notification.enterpriseId,
      ...(notification.channels !== null && { channels: notification.channels }),
      // Novu's trigger has no tags (they belong to the workflow in Novu 3.x); the bridge
      // receives them here.
      ...(notification.tags !== null && notification.tags.length > 0 &&
        { tags: notification.tags }),
    },
  };
}

/** Renders every template a DYNAMIC notification will use, so a broken one fails it now. */
async function renderCheck(
  render: RenderStep,
  workflow: DispatchWorkflow,
  notification: ClaimedNotification,
  channels: Channel[],
): Promise<DispatchFailure | null> {
  const plan = planDynamicWorkflow({
    workflow_key: workflow.workflowKey,
    name: workflow.name,
    description: workflow.description,
    enterprise_id: workflow.enterpriseId,
    default_channels: workflow.defaultChannels,
    payload_schema: workflow.payloadSchema,
    template_overrides: workflow.templateOverrides,
  });
  try {
    for (const step of plan.steps.filter((candidate) => channels.includes(candidate.channel))) {
      await render({
        enterpriseId: notification.enterpriseId,
        channel: step.channel,
        template: templateForStep(plan, step, notification.enterpriseId),
        variables: notification.payload,
      });
    }
    return null;
  } catch (error) {
    if (error instanceof TemplateError || error instanceof DynamicWorkflowError) {
      return permanentFailure("template_error", error.message);
    }
    // Reading a template from the database failed: worth another attempt.
    return {
      kind: "internal_error",
      retryable: true,
      message: `rendering failed: ${error instanceof Error ? error.message : String(error)}`,
      upstreamStatus: null,
      upstreamBody: null,
    };
  }
}

async function prepare(
  dependencies: DispatchDependencies,
  notification: ClaimedNotification,
  workflow: DispatchWorkflow | undefined,
): Promise<Preparation> {
  if (workflow === undefined) {
    return {
      failure: permanentFailure(
        "workflow_unavailable",
        notification.workflowId === null
          ? "the notification names no workflow"
          : `workflow ${notification.workflowId} is unknown, unpublished, deactivated or not ` +
            "available to this enterprise",
      ),
    };
  }
  if (notification.recipients.length === 0) {
    return { failure: permanentFailure("no_recipients", "the notification has no recipients") };
  }
  const channels = effectiveChannels(workflow, notification);
  if (channels.length === 0) {
    return {
      failure: permanentFailure(
        "no_channels",
        `none of the notification's channels is offered by workflow ${workflow.workflowKey}`,
      ),
    };
  }
  const verdict = dependencies.validatePayload(workflow, notification.payload);
  if (!verdict.valid) {
    return {
      failure: permanentFailure(
        verdict.reason === "schema_invalid" ? "workflow_unavailable" : "payload_invalid",
        verdict.message,
      ),
    };
  }
  if (workflow.workflowType === "DYNAMIC") {
    const failure = await renderCheck(dependencies.render, workflow, notification, channels);
    if (failure) return { failure };
  }
  const payload = novuPayload(notification);
  return {
    events: chunkRecipients(notification.id, notification.recipients).map((chunk) => ({
      workflowId: workflow.workflowKey,
      to: chunk.subscriberIds,
      payload,
      ...(notification.overrides !== null && { overrides: notification.overrides }),
      transactionId: chunk.transactionId,
    })),
  };
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

/**
 * Runs the calls and reports each event's failure (absent = accepted). A bulk call Novu
 * refuses outright is retried one event at a time, so one bad event does not fail the rest.
 */
async function runTriggerCalls(
  dependencies: DispatchDependencies,
  calls: TriggerCall[],
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
  await inParallel(calls, concurrency, async (call) => {
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
function combineFailures(failures: Array<DispatchFailure | undefined>): DispatchFailure | null {
  const present = failures.filter((failure): failure is DispatchFailure => failure !== undefined);
  if (present.length === 0) return null;
  const permanent = present.find((failure) => !failure.retryable);
  if (permanent) return permanent;
  const retryAfterMs = Math.max(0, ...present.map((failure) => failure.retryAfterMs ?? 0));
  return { ...present[0], ...(retryAfterMs > 0 && { retryAfterMs }) };
}

async function cancelNovuEvents(
  dependencies: DispatchDependencies,
  notificationId: number,
  recipientCount: number,
): Promise<void> {
  await Promise.all(
    chunkTransactionIds(notificationId, recipientCount).map((transactionId) =>
      dependencies.novu.cancel(transactionId)
    ),
  );
}

export async function processDispatchBatch(
  dependencies: DispatchDependencies,
  settings: DispatchSettings,
): Promise<BatchResult> {
  const { store } = dependencies;
  const messages = await store.readMessages(
    DISPATCH_QUEUE,
    settings.visibilityTimeoutSeconds,
    settings.batchSize,
  );
  if (messages.length === 0) return { messages: 0, nextVisibleInSeconds: null };

  const toDelete: number[] = [];
  const delays: Array<{ msgId: number; seconds: number }> = [];
  // One message per notification carries the work; a duplicate (e.g. a manual retry while
  // an old message was still around) is redundant.
  const firstMessage = new Map<number, QueueMessage>();
  for (const message of messages) {
    if (message.notificationId === null || firstMessage.has(message.notificationId)) {
      toDelete.push(message.msgId);
    } else {
      firstMessage.set(message.notificationId, message);
    }
  }

  const states = new Map(
    (await store.claim([...firstMessage.keys()])).map((state) => [state.id, state]),
  );
  const sending: Array<{ message: QueueMessage; notification: ClaimedNotification }> = [];
  for (const [notificationId, message] of firstMessage) {
    const decision = decideMessage(states.get(notificationId));
    if (decision.action === "send") sending.push({ message, notification: decision.notification });
    else if (decision.action === "delay") {
      delays.push({ msgId: message.msgId, seconds: decision.seconds });
    } else toDelete.push(message.msgId);
  }

  const workflows = await store.loadWorkflows(
    sending.filter(({ notification }) => notification.workflowId !== null).map((
      { notification },
    ) => ({ workflowId: notification.workflowId!, enterpriseId: notification.enterpriseId })),
  );
  const workflowFor = (notification: ClaimedNotification) =>
    workflows.find((workflow) =>
      workflow.id === notification.workflowId &&
      workflow.forEnterpriseId === notification.enterpriseId
    );

  const outcomes = new Map<number, DispatchFailure | null>();
  const ready: Array<{ id: number; events: NovuEvent[] }> = [];
  for (const { notification } of sending) {
    const preparation = await prepare(dependencies, notification, workflowFor(notification));
    if ("failure" in preparation) outcomes.set(notification.id, preparation.failure);
    else ready.push({ id: notification.id, events: preparation.events });
  }

  const eventFailures = await runTriggerCalls(
    dependencies,
    planTriggerCalls(ready.flatMap(({ events }) => events)),
    settings.triggerConcurrency,
  );
  for (const { id, events } of ready) {
    outcomes.set(
      id,
      combineFailures(events.map((event) => eventFailures.get(event.transactionId))),
    );
  }

  const sent = sending.filter(({ notification }) => outcomes.get(notification.id) === null);
  if (sent.length > 0) {
    const statuses = await store.markSent(
      sent.map(({ notification }) => ({
        id: notification.id,
        transactionId: notificationTransactionId(notification.id),
      })),
    );
    for (const { message, notification } of sent) {
      toDelete.push(message.msgId);
      if (statuses.get(notification.id) === "RETRACTED") {
        // A cancel won the race after the claim: take back what was just triggered.
        await cancelNovuEvents(dependencies, notification.id, notification.recipients.length)
          .catch((error) =>
            dependencies.log("cancelling a retracted notification's events failed", {
              notificationId: notification.id,
              error: String(error),
            })
          );
      }
    }
  }

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
    if (status === "PENDING") {
      const delayMs = backoffDelayMs(
        message.readCount,
        settings.backoff,
        dependencies.random,
        failure.retryAfterMs,
      );
      delays.push({ msgId: message.msgId, seconds: delaySeconds(delayMs) });
    } else {
      toDelete.push(message.msgId);
    }
  }

  await Promise.all([
    toDelete.length > 0 ? store.deleteMessages(DISPATCH_QUEUE, toDelete) : undefined,
    ...delays.map(({ msgId, seconds }) => store.delayMessage(DISPATCH_QUEUE, msgId, seconds)),
  ]);
  return {
    messages: messages.length,
    nextVisibleInSeconds: delays.length > 0
      ? Math.min(...delays.map((delay) => delay.seconds))
      : null,
  };
}

/**
 * Cancels the Novu events of retracted notifications (`notify.cancel_notification` queued
 * them); a failed cancel comes back after a backoff.
 */
export async function processCancellationBatch(
  dependencies: DispatchDependencies,
  settings: DispatchSettings,
): Promise<BatchResult> {
  const { store } = dependencies;
  const messages = await store.readMessages(
    CANCELLATION_QUEUE,
    settings.visibilityTimeoutSeconds,
    settings.batchSize,
  );
  if (messages.length === 0) return { messages: 0, nextVisibleInSeconds: null };
  const counts = await store.recipientCounts(
    messages.flatMap((message) => message.notificationId === null ? [] : [message.notificationId]),
  );
  const done: number[] = [];
  const delays: Array<{ msgId: number; seconds: number }> = [];
  await inParallel(messages, settings.triggerConcurrency, async (message) => {
    const count = message.notificationId === null ? undefined : counts.get(message.notificationId);
    if (count === undefined) return void done.push(message.msgId);
    try {
      await cancelNovuEvents(dependencies, message.notificationId!, count);
      done.push(message.msgId);
    } catch (error) {
      const failure = classifyNovuError(error, dependencies.now());
      dependencies.log("cancelling Novu events failed; will retry", {
        notificationId: message.notificationId,
        kind: failure.kind,
      });
      const delayMs = backoffDelayMs(
        message.readCount,
        settings.backoff,
        dependencies.random,
        failure.retryAfterMs,
      );
      delays.push({ msgId: message.msgId, seconds: delaySeconds(delayMs) });
    }
  });
  await Promise.all([
    done.length > 0 ? store.deleteMessages(CANCELLATION_QUEUE, done) : undefined,
    ...delays.map(({ msgId, seconds }) => store.delayMessage(CANCELLATION_QUEUE, msgId, seconds)),
  ]);
  return {
    messages: messages.length,
    nextVisibleInSeconds: delays.length > 0
      ? Math.min(...delays.map((delay) => delay.seconds))
      : null,
  };
}
