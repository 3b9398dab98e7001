/**
 * Novu's message webhooks as Svix delivers them, for tests and the webhook benchmark: the
 * envelope Novu builds (supabase/functions/novu-webhook/message-event.ts cites its source) and
 * svix's own signing, with the local endpoint secret unless another is given.
 */
import { Webhook } from "svix";
import { FUNCTIONS_URL } from "./env.ts";

export const NOVU_WEBHOOK_SECRET = Deno.env.get("NOVU_WEBHOOK_SECRET") ??
  "whsec_eG5vdnUgbG9jYWwgbm92dSB3ZWJob29rIHNlY3JldCE=";
export const NOVU_WEBHOOK_URL = `${FUNCTIONS_URL}/novu-webhook`;

export interface MessageEventInput {
  eventId: string;
  type: string;
  transactionId: string;
  subscriberId: string;
  channel: string;
  stepId?: string;
  error?: string;
}

export function messageEventBody(input: MessageEventInput): string {
  return JSON.stringify({
    id: input.eventId,
    type: input.type,
    object: "message",
    timestamp: new Date().toISOString(),
    environmentId: "tests",
    data: {
      object: {
        _id: `message-${input.eventId}`,
        transactionId: input.transactionId,
        subscriberId: input.subscriberId,
        channel: input.channel,
        stepId: input.stepId ?? input.channel,
      },
      ...(input.error === undefined ? {} : { error: { message: input.error } }),
    },
  });
}

/** POSTs `body` signed as Svix would at `at`, with `secret`; the response is returned unread. */
export function postSignedWebhook(
  body: string,
  { svixId, at = new Date(), secret = NOVU_WEBHOOK_SECRET }: {
    svixId: string;
    at?: Date;
    secret?: string;
  },
): Promise<Response> {
  return fetch(NOVU_WEBHOOK_URL, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": new Webhook(secret).sign(svixId, at, body),
    },
    body,
  });
}
