import { z } from "zod";
import type { CallerClaims } from "../../../shared/http/claims.ts";
import {
  type CallerCanAccessEnterprise,
  readEnterpriseRequest,
} from "../../../shared/http/enterprise-request.ts";
import type { PayloadVerdict } from "../../../shared/dispatch/payload-validation.ts";
import { errorResponse, jsonResponse } from "../../../shared/http/errors.ts";
import { refuseUnstorableText, storableJsonObject } from "../../../shared/http/storable.ts";
import { channelSchema } from "../../../shared/workflows/channels.ts";

/**
 * Bounds one request's size; the dispatcher splits recipients into Novu calls of at most 100
 * (docs/internals.md, "Novu transaction ids").
 */
export const MAX_RECIPIENTS = 10_000;

export const triggerRequestSchema = z.object({
  enterprise_id: z.string().uuid(),
  workflow_key: z.string().min(1).superRefine(refuseUnstorableText),
  // Subscriber ids are the recipients' uuids in this schema (`recipients uuid[]`).
  recipients: z.array(z.string().uuid()).min(1).max(MAX_RECIPIENTS)
    .refine((ids) => new Set(ids).size === ids.length, {
      message: "recipients must be distinct (a repeated id would be notified twice)",
    }),
  payload: storableJsonObject,
  channels: z.array(channelSchema).min(1).optional(),
  scheduled_for: z.string().datetime({ offset: true }).optional(),
  name: z.string().trim().min(1).superRefine(refuseUnstorableText).optional(),
  overrides: storableJsonObject.optional(),
  tags: z.array(z.string().min(1).superRefine(refuseUnstorableText)).optional(),
}).strict();
export type TriggerRequestBody = z.infer<typeof triggerRequestSchema>;

/** What the notification row is created from: the request with its name decided. */
export interface NewNotification extends Omit<TriggerRequestBody, "name"> {
  name: string;
}

export type CreateNotificationResult =
  | { outcome: "created"; id: number; status: string }
  | { outcome: "workflow_not_found" }
  | { outcome: "duplicate_name" }
  /** The workflow's `payload_schema` refuses the payload, or cannot be compiled. */
  | { outcome: "payload_refused"; verdict: Exclude<PayloadVerdict, { valid: true }> }
  /**
   * A database check refused the row; `constraint` names the field and the rule, `hint` (when
   * the check gives one) says what would be accepted.
   */
  | { outcome: "refused"; constraint: string; hint?: string };

export interface TriggerHandlerDependencies {
  callerCanAccessEnterprise: CallerCanAccessEnterprise;
  /** Inserts the notification as the caller, so RLS applies (see ./create-notification.ts). */
  createNotification: (
    claims: CallerClaims,
    notification: NewNotification,
  ) => Promise<CreateNotificationResult>;
  /** Makes default names unique: `name` is unique per enterprise. */
  newUuid: () => string;
  logError: (message: string, error: unknown) => void;
}

/**
 * `POST /functions/v1/trigger`: creates a PUBLISH notification through the same pipeline as
 * a platform insert (the enqueue trigger queues it, the dispatcher sends it). Access:
 * service_role, or an authenticated member of the enterprise; the access check runs before
 * the workflow lookup so a 404 never tells an outsider which workflow keys exist.
 */
export function createTriggerHandler(
  dependencies: TriggerHandlerDependencies,
): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      const accepted = await readEnterpriseRequest(
        request,
        triggerRequestSchema,
        dependencies.callerCanAccessEnterprise,
      );
      if (accepted instanceof Response) return accepted;
      const { claims, body: { name, ...body } } = accepted;
      const notification: NewNotification = {
        ...body,
        name: name ?? `${body.workflow_key} ${dependencies.newUuid()}`,
      };
      const result = await dependencies.createNotification(claims, notification);
      switch (result.outcome) {
        case "created":
          return jsonResponse(201, { id: result.id, status: result.status });
        case "workflow_not_found":
          return errorResponse(
            404,
            "WORKFLOW_NOT_FOUND",
            `no published, active workflow ${body.workflow_key} in enterprise ${body.enterprise_id} or shared`,
          );
        case "duplicate_name":
          return errorResponse(
            409,
            "DUPLICATE_NAME",
            `enterprise ${body.enterprise_id} already has a notification named ${notification.name}`,
          );
        case "payload_refused":
          return result.verdict.reason === "payload_invalid"
            ? errorResponse(422, "PAYLOAD_INVALID", result.verdict.message, {
              violations: result.verdict.violations,
            })
            : errorResponse(
              422,
              "PAYLOAD_SCHEMA_INVALID",
              `workflow ${body.workflow_key}'s ${result.verdict.message}; no notification of it ` +
                "can be sent until the workflow is fixed",
            );
        case "refused":
          return errorResponse(
            400,
            "INVALID_REQUEST",
            result.hint === undefined
              ? `the notification breaks the rule ${result.constraint} (see the README's limits)`
              : `the notification breaks the rule ${result.constraint}: ${result.hint}`,
          );
      }
    } catch (error) {
      dependencies.logError("trigger failed", error);
      return errorResponse(500, "INTERNAL", "creating the notification failed; see the logs");
    }
  };
}
