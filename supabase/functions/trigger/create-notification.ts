import type postgres from "postgres";
import type { CallerClaims } from "../../../shared/http/claims.ts";
import { asCaller } from "../../../shared/db/as-caller.ts";
import type { Sql } from "../../../shared/db/client.ts";
import type { PayloadValidator } from "../../../shared/dispatch/payload-validation.ts";
import type { CreateNotificationResult, NewNotification } from "./handler.ts";

const UNIQUE_VIOLATION = "23505";
const CHECK_VIOLATION = "23514";
const NAME_UNIQUE_CONSTRAINT = "ent_notification_name_unique_per_enterprise";

/**
 * Resolves the workflow and inserts the notification in one transaction as the caller, so RLS
 * decides both what a member may see (their enterprise's workflows and shared ones) and where
 * they may insert. The payload is checked against the workflow's `payload_schema` with the
 * dispatcher's validator before the insert, so a payload the dispatcher would fail is refused
 * now instead of becoming a row that FAILs a second later. A plain insert, like the management platform's: the enqueue trigger queues
 * it and kicks the dispatcher. Omitted `channels` take the workflow's `default_channels`
 * rather than the column default (IN_APP), since a notification's channels narrow its
 * workflow's.
 */
export async function createNotification(
  sql: Sql,
  claims: CallerClaims,
  notification: NewNotification,
  validatePayload: PayloadValidator,
): Promise<CreateNotificationResult> {
  try {
    return await asCaller(sql, claims, async (tx) => {
      const [workflow] = await tx<
        { id: string; updated_at: string; payload_schema: Record<string, unknown> | null }[]
      >`
        select id::text as id, updated_at::text as updated_at, payload_schema
          from notify.ent_notification_workflow
         where workflow_key = ${notification.workflow_key}
           and notify_internal.is_usable_by(enterprise_id, publish_status, deactivated,
                                            ${notification.enterprise_id}::uuid)
      `;
      if (workflow === undefined) return { outcome: "workflow_not_found" };
      const verdict = validatePayload(
        {
          id: Number(workflow.id),
          version: workflow.updated_at,
          payloadSchema: workflow.payload_schema,
        },
        notification.payload,
      );
      if (!verdict.valid) return { outcome: "payload_refused", verdict };
      const [created] = await tx<{ id: string; status: string }[]>`
        insert into notify.ent_notification
          (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients,
           channels, overrides, tags, scheduled_for)
        select ${notification.name}, ${notification.enterprise_id}::uuid, workflow.id,
               'PUBLISH', ${tx.json(notification.payload as postgres.JSONValue)},
               ${notification.recipients}::uuid[],
               coalesce(
                 ${notification.channels ?? null}::text[]::shared_types.notification_channel_type[],
                 workflow.default_channels
               ),
               ${
        notification.overrides ? tx.json(notification.overrides as postgres.JSONValue) : null
      },
               ${notification.tags ?? null}::text[],
               ${notification.scheduled_for ?? null}::timestamptz
          from notify.ent_notification_workflow as workflow
         where workflow.id = ${workflow.id}::bigint
        returning id::text as id, notification_status::text as status
      `;
      return { outcome: "created", id: Number(created.id), status: created.status };
    });
  } catch (error) {
    if (isNameConflict(error)) return { outcome: "duplicate_name" };
    const refusedBy = violatedCheck(error);
    if (refusedBy !== null) {
      const hint = (error as { hint?: unknown }).hint;
      return {
        outcome: "refused",
        constraint: refusedBy,
        ...(typeof hint === "string" && { hint }),
      };
    }
    throw error;
  }
}

/** The check constraint (README, "Limits") a refused insert broke; its name states the rule. */
function violatedCheck(error: unknown): string | null {
  return error instanceof Error && "code" in error && error.code === CHECK_VIOLATION &&
      "constraint_name" in error && typeof error.constraint_name === "string"
    ? error.constraint_name
    : null;
}

function isNameConflict(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === UNIQUE_VIOLATION &&
    "constraint_name" in error && error.constraint_name === NAME_UNIQUE_CONSTRAINT;
}
