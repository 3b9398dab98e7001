import { z } from "zod";

/** `shared_types.notification_channel_type` values, in the order steps run. */
export const CHANNELS = ["EMAIL", "IN_APP", "SMS", "PUSH", "CHAT"] as const;
export type Channel = typeof CHANNELS[number];

/** Novu framework step type and the step id XNovu uses for each channel. */
export const NOVU_STEP_OF_CHANNEL = {
  EMAIL: { type: "email", stepId: "email" },
  IN_APP: { type: "in_app", stepId: "in-app" },
  SMS: { type: "sms", stepId: "sms" },
  PUSH: { type: "push", stepId: "push" },
  CHAT: { type: "chat", stepId: "chat" },
} as const satisfies Record<Channel, { type: string; stepId: string }>;

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
