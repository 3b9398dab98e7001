/**
 * Novu Cloud's outbound message webhooks, as the emulator sends them after a channel step ran:
 * `message.sent` then `message.delivered` per executed channel step, or `message.failed` when
 * the step's provider fails (the `failChannels` fault). Sources:
 *
 * - envelope `{ id: "evt_<objectId>", type, object: "message", data, timestamp, environmentId }`
 *   and Svix's `eventId` = that id: novuhq/novu libs/application-generic/src/webhooks/
 *   usecases/send-webhook-message and dtos/webhook-payload.dto.ts (`WrapperDto`);
 * - `data.object`: webhooks/mappers/message.mapper.ts (`messageWebhookMapper`), and
 *   `data.error.message` for `message.failed` (the provider error path of
 *   apps/worker .../send-message/send-message-email.usecase.ts);
 * - `message.sent` is sent when the provider accepted the message; `message.delivered` only
 *   when the provider confirms delivery (for email only with activity tracking:
 *   https://docs.novu.co/platform/developer/webhooks/event-types). The emulator's providers
 *   always confirm, so it sends both;
 * - signing: Svix's scheme (`svix-id`, `svix-timestamp` in seconds, `svix-signature: v1,<base64
 *   HMAC-SHA256(secret, id.timestamp.body)>`, https://docs.svix.com/receiving/verifying-payloads/
 *   how-manual), produced by the `svix` library's own `Webhook.sign`;
 * - delivery: a 2xx within 15 s is success (Novu's webhooks page); Svix retries a failure
 *   immediately, then after 5 s, 5 min, 30 min, ... (https://docs.svix.com/retries). The
 *   emulator makes the first two attempts only, never more than Svix.
 *
 * A step that fails on the bridge (execute error) creates no message in Novu, so no message
 * webhook is sent for it: Novu's message webhooks come from the send-message usecases once a
 * message exists.
 */
import { Webhook } from "svix";
import { WorkQueue } from "./work-queue.ts";

/** Step types that are channels in @novu/framework (the others are actions: delay, digest...). */
const CHANNEL_STEP_TYPES = new Set(["in_app", "email", "sms", "chat", "push"]);
const DELIVERY_TIMEOUT_MS = 15_000;
const RETRY_DELAY_MS = 5_000;

export interface WebhookSenderOptions {
  /** Where Novu's webhook endpoint points; without it (or a secret) nothing is sent. */
  url: string | undefined;
  /** The endpoint's signing secret (`whsec_...`). */
  secret: string | undefined;
  fetch: typeof fetch;
  now: () => number;
  environmentId: string;
  /** Deliveries in flight at once. */
  concurrency?: number;
  retryDelayMs?: number;
}

/** One channel step's message, as the emulator's provider saw it. */
export interface MessageOutcome {
  transactionId: string;
  workflowId: string;
  subscriberId: string;
  stepId: string;
  stepType: string;
  /** The provider's refusal; undefined when the message went out. */
  error?: string;
}

export interface WebhookCounters {
  delivered: number;
  failed: number;
}

export interface WebhookSender {
  isChannelStep(stepType: string): boolean;
  /** Queues the step's message webhooks (not awaited: Svix delivers asynchronously). */
  messageFinished(outcome: MessageOutcome): void;
  counters: WebhookCounters;
  /** Deliveries queued, running or waiting for their retry. */
  readonly pending: number;
  /** Drops deliveries not started yet and zeroes the counters. */
  reset(): void;
  idle(): Promise<void>;
}

function objectId(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(12)),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const endpoint = options.url && options.secret
    ? { url: options.url, signer: new Webhook(options.secret) }
    : undefined;
  const queue = new WorkQueue(options.concurrency ?? 16);
  const retryDelayMs = options.retryDelayMs ?? RETRY_DELAY_MS;
  const counters: WebhookCounters = { delivered: 0, failed: 0 };

  async function attempt(
    { url, signer }: NonNullable<typeof endpoint>,
    svixId: string,
    body: string,
  ): Promise<boolean> {
    const at = new Date(options.now());
    try {
      const response = await options.fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "svix-id": svixId,
          "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
          "svix-signature": signer.sign(svixId, at, body),
        },
        body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  // Retries waiting for their delay. Svix schedules a retry instead of holding a delivery slot
  // for it, so while an endpoint is down the waits never hold back other messages' deliveries.
  const retryTimers = new Set<number>();

  /** Sends `events` (one Svix message each) in one queued task; failures are retried once. */
  function deliver(
    to: NonNullable<typeof endpoint>,
    events: Array<{ svixId: string; body: string }>,
    isRetry = false,
  ): void {
    queue.push(async () => {
      const failed: typeof events = [];
      for (const event of events) {
        if (await attempt(to, event.svixId, event.body)) counters.delivered += 1;
        else failed.push(event);
      }
      if (failed.length === 0) return;
      if (isRetry) {
        counters.failed += failed.length;
        return;
      }
      // The retry keeps each event's svix-id (and is re-signed when sent).
      const timer = setTimeout(() => {
        retryTimers.delete(timer);
        deliver(to, failed, true);
      }, retryDelayMs);
      retryTimers.add(timer);
    });
  }

  /** Resolves once no delivery is queued, running or waiting to be retried. */
  async function idle(): Promise<void> {
    await queue.idle();
    while (retryTimers.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryDelayMs, 50)));
      await queue.idle();
    }
  }

  function envelope(type: string, outcome: MessageOutcome, messageId: string): string {
    const at = new Date(options.now()).toISOString();
    return JSON.stringify({
      id: `evt_${objectId()}`,
      type,
      object: "message",
      timestamp: at,
      environmentId: options.environmentId,
      data: {
        object: {
          _id: messageId,
          _environmentId: options.environmentId,
          subscriberId: outcome.subscriberId,
          templateIdentifier: outcome.workflowId,
          workflowId: outcome.workflowId,
          stepId: outcome.stepId,
          transactionId: outcome.transactionId,
          channel: outcome.stepType,
          status: outcome.error === undefined ? "sent" : "error",
          errorText: outcome.error,
          seen: false,
          read: false,
          createdAt: at,
          updatedAt: at,
          deliveredAt: type === "message.delivered" ? [at] : undefined,
          providerId: `emulator-${outcome.stepType}`,
        },
        ...(outcome.error === undefined ? {} : { error: { message: outcome.error } }),
      },
    });
  }

  return {
    isChannelStep: (stepType) => CHANNEL_STEP_TYPES.has(stepType),
    messageFinished(outcome) {
      const to = endpoint;
      if (to === undefined || !CHANNEL_STEP_TYPES.has(outcome.stepType)) return;
      const messageId = objectId();
      const types = outcome.error === undefined
        ? ["message.sent", "message.delivered"]
        : ["message.failed"];
      // One Svix message per event, in order.
      deliver(
        to,
        types.map((type) => ({
          svixId: `msg_${crypto.randomUUID().replaceAll("-", "")}`,
          body: envelope(type, outcome, messageId),
        })),
      );
    },
    counters,
    get pending() {
      return queue.size + retryTimers.size;
    },
    reset() {
      queue.clear();
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      counters.delivered = 0;
      counters.failed = 0;
    },
    idle,
  };
}
