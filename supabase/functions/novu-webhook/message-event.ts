/**
 * Novu's outbound message webhooks, as Novu builds them: an envelope
 * `{ id, type, object, data, timestamp, environmentId }` (novuhq/novu
 * libs/application-generic/src/webhooks/dtos/webhook-payload.dto.ts, `WrapperDto`) sent through
 * Svix with the event id as Svix's `eventId`; for message events `data.object` is the message
 * (`webhooks/mappers/message.mapper.ts`, `messageWebhookMapper`: `_id`, `transactionId`,
 * `subscriberId`, `channel`, `stepId`, `workflowId`, `status`, ...) and `message.failed` adds
 * `data.error.message`. Event types: https://docs.novu.co/platform/developer/webhooks/event-types
 */
import { z } from "zod";
import { notificationIdOfTransactionId } from "../../../shared/novu/transaction-id.ts";

const envelopeSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1),
  timestamp: z.string().datetime({ offset: true }),
  data: z.record(z.unknown()),
});

const messageSchema = z.object({
  _id: z.string().optional(),
  transactionId: z.string().min(1).max(200),
  subscriberId: z.string().optional(),
  channel: z.string().optional(),
  stepId: z.string().optional(),
});

const failureSchema = z.object({ message: z.string().optional() }).passthrough();

/** One message event, ready for `notify_internal.record_delivery_event`. */
export interface MessageEvent {
  eventId: string;
  type: string;
  transactionId: string;
  /** Undefined when the transactionId is not one XNovu made. */
  notificationId: number | undefined;
  subscriberId: string | null;
  channel: string | null;
  stepId: string | null;
  messageId: string | null;
  errorMessage: string | null;
  data: Record<string, unknown>;
  occurredAt: string;
}

export type ParsedEvent =
  | { kind: "message"; event: MessageEvent }
  /** A workflow, preference or other non-message event: not XNovu's concern. */
  | { kind: "other"; type: string }
  | { kind: "invalid"; message: string };

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
    .join("; ");
}

export function parseNovuEvent(body: unknown): ParsedEvent {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { kind: "invalid", message: describe(envelope.error) };
  const { id, type, timestamp, data } = envelope.data;
  if (!/^message\.[a-z_]+$/.test(type)) return { kind: "other", type };
  const message = messageSchema.safeParse(data.object);
  if (!message.success) {
    return { kind: "invalid", message: `data.object: ${describe(message.error)}` };
  }
  const failure = failureSchema.safeParse(data.error);
  return {
    kind: "message",
    event: {
      eventId: id,
      type,
      transactionId: message.data.transactionId,
      notificationId: notificationIdOfTransactionId(message.data.transactionId),
      subscriberId: message.data.subscriberId ?? null,
      channel: message.data.channel ?? null,
      stepId: message.data.stepId ?? null,
      messageId: message.data._id ?? null,
      errorMessage: failure.success ? failure.data.message ?? null : null,
      data,
      occurredAt: timestamp,
    },
  };
}
