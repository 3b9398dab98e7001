import type { DynamicWorkflowRow } from "../workflows/dynamic.ts";
import type { Sql } from "./client.ts";

/** Every published, active DYNAMIC workflow: what the bridge lists in `discover`. */
export async function loadPublishedDynamicWorkflows(sql: Sql): Promise<DynamicWorkflowRow[]> {
  return await sql<DynamicWorkflowRow[]>`
    select workflow_key, name, description, enterprise_id::text as enterprise_id,
           default_channels::text[] as default_channels, payload_schema, template_overrides
      from notify.ent_notification_workflow
     where workflow_type = 'DYNAMIC'
       and publish_status = 'PUBLISH'
       and deactivated = false
     order by workflow_key
  `;
}
