/**
 * The `scale` data set: settled notifications (SENT, FAILED, RETRACTED in 3:1:1) spread over
 * the last 100,000 minutes (~69 days) across the two bench enterprises, each with two status
 * history rows, added with set-based SQL (not through the pipeline). `bench/scale.ts` measures
 * dispatch against it, `bench/views.ts` the dashboard views.
 */
import type postgres from "postgres";
import { ENTERPRISES } from "./support.ts";

export async function addSettledRows(
  sql: postgres.Sql,
  settledRows: number,
  namePrefix: string,
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`
      insert into notify.ent_notification
        (name, enterprise_id, notification_workflow_id, publish_status, notification_status,
         payload, recipients, channels, transaction_id, processed_at, retracted_at,
         retraction_reason, error_details, created_at, updated_at)
      select ${namePrefix} || i, e.id, null, 'PUBLISH', s.status, '{"subject": "old"}',
        array[gen_random_uuid()], '{EMAIL}', 'xnovu-history-' || i,
        now() - make_interval(mins => i % 100000), 
        case when s.status = 'RETRACTED' then now() end,
        case when s.status = 'RETRACTED' then 'history' end,
        case when s.status = 'FAILED' then '{"kind": "novu_rejected"}'::jsonb end,
        now() - make_interval(mins => i % 100000), now()
      from generate_series(1, ${settledRows}::int) as i
      cross join lateral (select (${ENTERPRISES.map((e) => e.id)}::uuid[])[1 + i % 2] as id) e
      cross join lateral (select (array['SENT', 'SENT', 'SENT', 'FAILED', 'RETRACTED'])[1 + i % 5]
                                   ::shared_types.notification_status as status) s`;
    // Two history rows each: PENDING -> PROCESSING -> final.
    await tx`
      insert into notify.notification_status_history
        (notification_id, enterprise_id, from_status, to_status, changed_at, changed_by_role)
      select n.id, n.enterprise_id, m.from_status, m.to_status, n.created_at, 'service_role'
        from notify.ent_notification n
        cross join lateral (values ('PENDING'::shared_types.notification_status, 'PROCESSING'::shared_types.notification_status),
                                   ('PROCESSING', case when n.notification_status = 'RETRACTED' then 'SENT' else n.notification_status end))
                           as m (from_status, to_status)
       where n.name like ${namePrefix + "%"}`;
  });
  await sql`vacuum analyze notify.ent_notification`;
  await sql`vacuum analyze notify.notification_status_history`;
}
