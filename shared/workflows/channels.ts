import { z } from "zod";

import { type Channel, CHANNELS } from "../channels.ts";

/**
 * The Novu step of each channel: the step id XNovu declares and the framework's `step`
 * function that declares it.
 */
export const NOVU_STEP_OF_CHANNEL = {
  EMAIL: { stepId: "email", stepFunction: "email" },
  IN_APP: { stepId: "in-app", stepFunction: "inApp" },
  SMS: { stepId: "sms", stepFunction: "sms" },
  PUSH: { stepId: "push", stepFunction: "push" },
  CHAT: { stepId: "chat", stepFunction: "chat" },
} as const satisfies Record<Channel, { stepId: string; stepFunction: string }>;

export const channelSchema = z.enum(CHANNELS);

/**
 * The reserved `_xnovu` payload property the dispatcher adds (docs/internals.md, "Payload to
 * Novu"). It is the only source of the enterprise a notification renders for; the subscriber
 * id is never read as one.
 */
export const xnovuEnvelopeSchema = z.object({
  notification_id: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
  enterprise_id: z.string().uuid(),
  channels: z.array(channelSchema).optional(),
  /** The notification's `tags`: Novu's trigger has no tags field, so they travel here. */
  tags: z.array(z.string()).optional(),
});
export type XnovuEnvelope = z.infer<typeof xnovuEnvelopeSchema>;

/**
 * A channel runs unless the notification narrowed its channels and left this one out;
 * without an envelope (e.g. a preview from the Novu dashboard) every step runs.
 */
export function channelIsRequested(
  envelope: Pick<XnovuEnvelope, "channels"> | undefined,
  channel: Channel,
): boolean {
  return envelope?.channels === undefined || envelope.channels.includes(channel);
}
