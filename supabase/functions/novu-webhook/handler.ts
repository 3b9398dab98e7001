import {
  BodyTooLargeError,
  bodyTooLargeResponse,
  readBoundedBody,
} from "../../../shared/http/body.ts";
import { errorResponse, jsonResponse } from "../../../shared/http/errors.ts";
import { type MessageEvent, parseNovuEvent } from "./message-event.ts";

/** What `notify_internal.record_delivery_event` did with one event. */
export type RecordOutcome = "recorded" | "duplicate" | "replayed" | "unlinked";

export interface NovuWebhookDependencies {
  /**
   * Svix's `Webhook.verify` bound to the endpoint's signing secret (throws on a bad signature,
   * missing headers or a timestamp more than 5 minutes off); undefined when no secret is set.
   */
  verify: ((body: string, headers: Record<string, string>) => void) | undefined;
  /** Calls `notify_internal.record_delivery_event` (./delivery-store.ts); `signal`: the request's. */
  record: (svixId: string, event: MessageEvent, signal: AbortSignal) => Promise<RecordOutcome>;
  logError: (message: string, error: unknown) => void;
}

/**
 * The texts of standardwebhooks' `WebhookVerificationError` (the library svix's `Webhook`
 * wraps, src/index.ts `verifyTimestamp`): a timestamp outside the tolerance.
 */
const STALE_TIMESTAMP = /timestamp too (old|new)/i;
const MISSING_HEADERS = /missing required headers/i;

function refusal(error: unknown): Response {
  const text = error instanceof Error ? error.message : String(error);
  if (STALE_TIMESTAMP.test(text)) {
    return errorResponse(
      401,
      "STALE_WEBHOOK",
      `refused: ${text} (svix-timestamp must be within 5 minutes of now)`,
    );
  }
  if (MISSING_HEADERS.test(text)) {
    return errorResponse(
      401,
      "MISSING_SIGNATURE",
      "refused: svix-id, svix-timestamp and svix-signature headers are required",
    );
  }
  return errorResponse(401, "INVALID_SIGNATURE", `refused: ${text}`);
}

/**
 * `POST /functions/v1/novu-webhook`: Novu's outbound webhooks (delivered by Svix). The
 * signature and timestamp are verified first, with nothing read from the body before; a
 * forged, stale or replayed (svix-id already recorded) request is 401 and stores nothing.
 * Message events are recorded once each (by Novu's event id) for the notification their
 * transactionId names; other events, and messages of transactions XNovu did not make, are
 * acknowledged (200) and not stored, so Svix does not retry them.
 */
export function createNovuWebhookHandler(
  dependencies: NovuWebhookDependencies,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== "POST") return errorResponse(405, "METHOD_NOT_ALLOWED", "use POST");
    if (!dependencies.verify) {
      return errorResponse(
        500,
        "NOT_CONFIGURED",
        "NOVU_WEBHOOK_SECRET is not set: the function cannot verify Novu's signature",
      );
    }
    let body: string;
    try {
      body = new TextDecoder().decode(await readBoundedBody(request));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return bodyTooLargeResponse(error);
      throw error;
    }
    const headers = Object.fromEntries(request.headers);
    try {
      dependencies.verify(body, headers);
    } catch (error) {
      return refusal(error);
    }
    // verify accepts the unbranded webhook-* headers as well (svix src/webhook.ts).
    const svixId = headers["svix-id"] ?? headers["webhook-id"];
    let parsed;
    try {
      parsed = parseNovuEvent(JSON.parse(body));
    } catch {
      return errorResponse(400, "INVALID_EVENT", "the body is not JSON");
    }
    if (parsed.kind === "invalid") return errorResponse(400, "INVALID_EVENT", parsed.message);
    if (parsed.kind === "other") {
      return jsonResponse(200, {
        recorded: false,
        reason: `${parsed.type} is not a message event`,
      });
    }
    try {
      const outcome = await dependencies.record(svixId, parsed.event, request.signal);
      switch (outcome) {
        case "recorded":
          return jsonResponse(200, { recorded: true, event_id: parsed.event.eventId });
        case "replayed":
          return errorResponse(
            401,
            "REPLAYED_WEBHOOK",
            `refused: svix-id ${svixId} was already received`,
          );
        case "duplicate":
          return jsonResponse(200, {
            recorded: false,
            reason: `event ${parsed.event.eventId} was already recorded`,
          });
        case "unlinked":
          return jsonResponse(200, {
            recorded: false,
            reason: `transactionId ${parsed.event.transactionId} is no XNovu notification's`,
          });
      }
    } catch (error) {
      dependencies.logError("recording the Novu webhook event failed", error);
      return errorResponse(500, "INTERNAL", "recording the event failed; see the logs");
    }
  };
}
