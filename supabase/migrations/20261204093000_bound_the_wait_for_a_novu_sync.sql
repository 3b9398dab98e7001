-- A notification whose workflow awaits a Novu sync waits (issue 10), but not
-- forever: after novu_sync_wait_limit_ms (default 600000, 10 minutes) of
-- waiting it FAILs naming the workflow Novu was not synced with. The wait is
-- the notification's own: it starts when the dispatcher first holds it (kept in
-- error_details.waiting_since while it keeps waiting), not when the workflow
-- changed, so a workflow edited again and again cannot hold it forever and a
-- notification created long after a change still gets the whole limit.
--
-- The same wait serves Novu answering workflow_not_found (the workflow was
-- deleted in Novu, or Novu lost it): the dispatcher asks here for a re-sync of
-- the workflow and the notification waits for it within the same limit. Novu
-- caches a refused trigger's answer under its Idempotency-Key for 24 hours and
-- replays it (novuhq/novu apps/api/src/app/shared/framework/
-- idempotency.interceptor.ts: errors are cached like successes,
-- IDEMPOTENCY_CACHE_TTL), so the trigger after a re-sync must go under a new
-- key: the number of re-syncs, counted per notification here, is part of it
-- (<transactionId>-r<resyncs>). Nothing ran under the refused key, so the new
-- key cannot deliver twice; timeouts and retries in between keep the key.

create table notify_internal.notification_novu_resync (
  notification_id bigint primary key references notify.ent_notification (id) on delete cascade,
  resyncs integer not null,
  last_resync_at timestamptz not null default now(),
  constraint notification_novu_resync_counts_from_one check (resyncs > 0)
);
comment on table notify_internal.notification_novu_resync is 'Per notification, how many times Novu answered its trigger with workflow_not_found and XNovu asked for a re-sync. The trigger after the n-th goes under Idempotency-Key <transactionId>-r<n>: Novu replays a refused answer under the old key for 24 hours.';
revoke all on notify_internal.notification_novu_resync from public;
grant select on notify_internal.notification_novu_resync to service_role;

create function notify_internal.novu_sync_states(
  p_notification_ids bigint[],
  p_resync boolean default false
) returns table (
  notification_id bigint,
  workflow_id bigint,
  workflow_key text,
  held boolean,
  waiting_since timestamptz,
  overdue boolean,
  wait_limit_ms integer,
  last_sync_error text,
  resyncs integer
)
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if p_resync then
    insert into notify_internal.notification_novu_resync as r (notification_id, resyncs)
    select n.id, 1 from notify.ent_notification n where n.id = any (p_notification_ids)
    on conflict on constraint notification_novu_resync_pkey do update
      set resyncs = r.resyncs + 1, last_resync_at = now();
    -- Workflows already awaiting a sync are left alone: bumping their change
    -- would only push the debounce further out.
    perform notify_internal.record_novu_changes(coalesce(jsonb_agg(distinct jsonb_build_object(
      'id', w.id, 'workflow_key', w.workflow_key)), '[]'))
      from notify.ent_notification n
      join notify.ent_notification_workflow w on w.id = n.notification_workflow_id
     where n.id = any (p_notification_ids)
       and not exists (select from notify_internal.workflow_awaiting_novu_sync a
                        where a.workflow_id = w.id);
  end if;
  return query
  with state as (
    select n.id, s.workflow_id, s.workflow_key, a.workflow_id is not null as held,
           case when n.error_details ->> 'kind' = 'awaiting_novu_sync'
                     and n.error_details ->> 'waiting_since' is not null
                then (n.error_details ->> 'waiting_since')::timestamptz
                else now() end as since,
           notify_internal.setting_integer('novu_sync_wait_limit_ms', 600000) as limit_ms,
           r.resyncs
      from notify.ent_notification n
      join notify_internal.workflow_novu_sync s on s.workflow_id = n.notification_workflow_id
      left join notify_internal.workflow_awaiting_novu_sync a on a.workflow_id = s.workflow_id
      left join notify_internal.notification_novu_resync r on r.notification_id = n.id
     where n.id = any (p_notification_ids)
       and (a.workflow_id is not null or r.resyncs is not null)
  )
  select st.id, st.workflow_id, st.workflow_key, st.held, st.since,
         st.held and now() - st.since >= make_interval(secs => st.limit_ms / 1000.0),
         st.limit_ms,
         (select s.error from notify_internal.novu_sync s
           where s.outcome <> 'running' order by s.id desc limit 1),
         coalesce(st.resyncs, 0)
    from state st;
end
$$;
comment on function notify_internal.novu_sync_states(bigint[], boolean) is 'Of the given (claimed) notifications, those held for a Novu sync or re-synced before. held: the workflow awaits a sync; waiting_since: error_details.waiting_since of the notification''s previous wait, else now; overdue: held for novu_sync_wait_limit_ms (default 600000) or longer (the dispatcher FAILs it); last_sync_error: the last finished sync''s error if it failed; resyncs: how many times Novu answered workflow_not_found (the Idempotency-Key''s -r<n>). p_resync (Novu just answered workflow_not_found for these) first counts a re-sync and requests a sync of their workflows that do not await one.';
revoke execute on function notify_internal.novu_sync_states(bigint[], boolean) from public;
grant execute on function notify_internal.novu_sync_states(bigint[], boolean) to service_role;

-- Replaced by novu_sync_states (the dispatcher's only caller).
drop function notify_internal.workflows_awaiting_novu_sync(bigint[]);
