import type { WorkflowRow } from "../workflows/plan.ts";
import type { Sql } from "./client.ts";

/** Every published, active DYNAMIC workflow: what the bridge lists in `discover`. */
export async function loadPublishedDynamicWorkflows(sql: Sql): Promise<WorkflowRow[]> {
  return await sql<WorkflowRow[]>`
    select id::text as id, workflow_key, workflow_type::text as workflow_type, name, description,
           enterprise_id::text as enterprise_id,
           default_channels::text[] as default_channels, payload_schema,
           notify_internal.template_overrides_by_channel(template_overrides) as template_overrides,
           updated_at::text as updated_at
      from notify.ent_notification_workflow
     where workflow_type = 'DYNAMIC'
       and publish_status = 'PUBLISH'
       and deactivated = false
     order by workflow_key
  `;
}
