import type postgres from "postgres";
import type { Channel } from "../channels.ts";
import type {
  TemplateLoader,
  TemplateRecord,
  TemplateRef,
  TemplateScope,
} from "../templates/types.ts";

interface TemplateRow extends Omit<TemplateRecord, "id"> {
  /** bigint arrives as text from the driver. */
  id: string;
}

/**
 * The engine's loader over `notify.ent_notification_template`. The enterprise filter is
 * explicit in the query, not left to RLS: the bridge reads as service_role, which bypasses
 * RLS, and must still never see another enterprise's template. With a caller-scoped
 * transaction (see `asCaller`) RLS applies on top.
 */
export function createDbTemplateLoader(
  sql: postgres.Sql | postgres.TransactionSql,
): TemplateLoader {
  return async (ref: TemplateRef, scope: TemplateScope): Promise<TemplateRecord | null> => {
    const key = "key" in ref ? ref.key : null;
    const id = "id" in ref ? ref.id : null;
    const channel: Channel | null = scope.channel ?? null;
    const rows = await sql<TemplateRow[]>`
      select id::text as id, template_key, enterprise_id::text as enterprise_id,
             channel_type::text as channel_type, subject_template, body_template,
             variables_description, updated_at::text as updated_at,
             publish_status::text as publish_status, deactivated
        from notify.ent_notification_template
       where (template_key = ${key} or id = ${id}::bigint)
         and notify_internal.is_usable_by(enterprise_id, publish_status, deactivated,
                                          ${scope.enterpriseId}::uuid)
         and (${channel}::text is null or channel_type::text = ${channel}::text)
       order by enterprise_id nulls last
       limit 1
    `;
    if (rows.length === 0) return null;
    return { ...rows[0], id: Number(rows[0].id) };
  };
}
