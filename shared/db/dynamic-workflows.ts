import type { WorkflowRow } from "../workflows/plan.ts";
import type { Sql } from "./client.ts";

/** Every published, active DYNAMIC workflow: what the bridge lists in `discover`. */
export async function loadPublishedDynamicWorkflows(sql: Sql): Promise<WorkflowRow[]> {
  const rows = await sql<{ row: WorkflowRow }[]>`
    select notify_internal.bridge_workflow_row(w) as row
      from notify.ent_notification_workflow w
     where w.workflow_type = 'DYNAMIC'
       and w.publish_status = 'PUBLISH'
       and w.deactivated = false
     order by w.workflow_key
  `;
  return rows.map(({ row }) => row);
}

/**
 * The DYNAMIC workflow an event of a notification still runs on after the workflow was
 * unpublished, deactivated, renamed or deleted: as it was when the notification was sent, or
 * undefined (`notify_internal.withdrawn_workflow_for_event`).
 */
export async function loadWithdrawnWorkflow(
  sql: Sql,
  notificationId: number,
  enterpriseId: string,
  workflowKey: string,
): Promise<WorkflowRow | undefined> {
  const [found] = await sql<{ row: WorkflowRow | null }[]>`
    select notify_internal.withdrawn_workflow_for_event(
      ${notificationId}, ${enterpriseId}::uuid, ${workflowKey}
    ) as row
  `;
  return found?.row ?? undefined;
}
