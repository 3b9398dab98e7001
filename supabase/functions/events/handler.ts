import { z } from "zod";
import type { CallerClaims } from "../../../shared/http/claims.ts";
import {
  type CallerCanAccessEnterprise,
  readEnterpriseRequest,
} from "../../../shared/http/enterprise-request.ts";
import { errorResponse, jsonResponse } from "../../../shared/http/errors.ts";

export const eventRequestSchema = z.object({
  enterprise_id: z.string().uuid(),
  // The name's grammar and the payload's bounds are the database's (notify.emit_event).
  event: z.string().min(1),
  payload: z.record(z.unknown()).optional(),
  dedup_key: z.string().min(1).optional(),
}).strict();
export type EventRequestBody = z.infer<typeof eventRequestSchema>;

export type EmitEventResult = { outcome: "emitted"; id: number } | {
  outcome: "refused";
  message: string;
};

export interface EventsHandlerDependencies {
  callerCanAccessEnterprise: CallerCanAccessEnterprise;
  /** Calls notify.emit_event as the caller (./emit-event.ts). */
  emitEvent: (claims: CallerClaims, event: EventRequestBody) => Promise<EmitEventResult>;
  logError: (message: string, error: unknown) => void;
}

/**
 * `POST /functions/v1/events`: `{ enterprise_id, event, payload?, dedup_key? }` from the service
 * role or a member of the enterprise; records and queues the event like `notify.emit_event`
 * (which it calls) and answers `202 { id }`; a repeated dedup_key answers the first event's id.
 */
export function createEventsHandler(
  dependencies: EventsHandlerDependencies,
): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      const accepted = await readEnterpriseRequest(
        request,
        eventRequestSchema,
        dependencies.callerCanAccessEnterprise,
      );
      if (accepted instanceof Response) return accepted;
      const result = await dependencies.emitEvent(accepted.claims, accepted.body);
      if (result.outcome === "refused") {
        return errorResponse(400, "INVALID_REQUEST", result.message);
      }
      return jsonResponse(202, { id: result.id });
    } catch (error) {
      dependencies.logError("emitting the event failed", error);
      return errorResponse(500, "INTERNAL", "emitting the event failed; see the logs");
    }
  };
}
