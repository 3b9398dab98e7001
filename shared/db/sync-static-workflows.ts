import type postgres from "postgres";
import type { StaticWorkflowRegistration } from "../workflows/static/registration.ts";
import type { Sql } from "./client.ts";

/**
 * Upserts the STATIC workflows as shared (enterprise_id null), published rows. A row that
 * already says the same is left untouched (no write, `updated_at` kept), so re-running the
 * sync changes no row; every run asks for a Novu sync of them all (the code behind them may
 * have changed). Returns the keys that were inserted or changed.
 */
export async function syncStaticWorkflows(
  sql: Sql,
  registrations: readonly StaticWorkflowRegistration[],
): Promise<string[]> {
  return await sql.begin(async (tx) => {
    const changed: string[] = [];
    for (const registration of registrations) {
      const rows = await tx<{ workflow_key: string }[]>`
        insert into notify.ent_notification_workflow as existing
          (workflow_key, name, description, workflow_type, publish_status, deactivated,
           enterprise_id, default_channels, payload_schema)
        values (
          ${registration.workflow_key}, ${registration.name}, ${registration.description},
          'STATIC', 'PUBLISH', false, null,
          ${registration.default_channels}::text[]::shared_types.notification_channel_type[],
          ${tx.json(registration.payload_schema as postgres.JSONValue)}
        )
        on conflict (workflow_key) do update set
          name = excluded.name,
          description = excluded.description,
          workflow_type = excluded.workflow_type,
          publish_status = excluded.publish_status,
          deactivated = excluded.deactivated,
          enterprise_id = excluded.enterprise_id,
          default_channels = excluded.default_channels,
          payload_schema = excluded.payload_schema
        where (existing.name, existing.description, existing.workflow_type,
               existing.publish_status, existing.deactivated, existing.enterprise_id,
               existing.default_channels, existing.payload_schema)
          is distinct from
              (excluded.name, excluded.description, excluded.workflow_type,
               excluded.publish_status, excluded.deactivated, excluded.enterprise_id,
               excluded.default_channels, excluded.payload_schema)
        returning workflow_key
      `;
      changed.push(...rows.map((row) => row.workflow_key));
    }
    // Their code may have changed without their rows: Novu learns them through a sync, which
    // their notifications wait for (issue 10).
    await tx`select notify_internal.request_novu_sync(
      ${registrations.map((registration) => registration.workflow_key)}::text[])`;
    return changed;
  }) as string[];
}
