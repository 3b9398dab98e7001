-- A notification whose workflow awaits a Novu sync waits (issue 10), but not
-- forever: after novu_sync_wait_limit_ms (default 600000, 10 minutes) of
-- waiting it FAILs naming the workflow Novu was not synced with. The wait is
-- the notification's own: it starts when the dispatcher first holds it (kept in
-- error_details.waiting_since while it keeps waiting), not when the workflow
-- changed, so a workflow edited again and again cannot hold it forever and a
-- notification created long after a change still gets the whole limit.
-- The same hold serves Novu answering workflow_not_found (the workflow was
-- deleted in Novu, or Novu lost it): the dispatcher asks for a re-sync of the
-- workflow here and the notification waits for it within the same limit.

create function notify_internal.novu_sync_holds(
  p_notification_ids bigint[],
  p_resync boolean default false
) returns table (
  notification_id bigint,
  workflow_id bigint,
  workflow_key text,
  waiting_since timestamptz,
  overdue boolean,
  wait_limit_ms integer,
  last_sync_error text
)
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if p_resync then
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
  with held as (
    select n.id, a.workflow_id, a.workflow_key,
           case when n.error_details ->> 'kind' = 'awaiting_novu_sync'
                     and n.error_details ->> 'waiting_since' is not null
                then (n.error_details ->> 'waiting_since')::timestamptz
                else now() end as since,
           notify_internal.setting_integer('novu_sync_wait_limit_ms', 600000) as limit_ms
      from notify.ent_notification n
      join notify_internal.workflow_awaiting_novu_sync a on a.workflow_id = n.notification_workflow_id
     where n.id = any (p_notification_ids)
  )
  select h.id, h.workflow_id, h.workflow_key, h.since,
         now() - h.since >= make_interval(secs => h.limit_ms / 1000.0),
         h.limit_ms,
         (select s.error from notify_internal.novu_sync s
           where s.outcome <> 'running' order by s.id desc limit 1)
    from held h;
end
$$;
comment on function notify_internal.novu_sync_holds(bigint[], boolean) is 'Of the given (claimed) notifications, those whose workflow awaits a Novu sync: since when each has been waiting (error_details.waiting_since of its previous wait, else now), whether that is at least novu_sync_wait_limit_ms (default 600000) ago (overdue: the dispatcher FAILs it), and the error of the last sync if it failed. p_resync first requests a sync of their workflows that do not await one (Novu answered workflow_not_found).';
revoke execute on function notify_internal.novu_sync_holds(bigint[], boolean) from public;
grant execute on function notify_internal.novu_sync_holds(bigint[], boolean) to service_role;

-- Replaced by novu_sync_holds (the dispatcher's only caller).
drop function notify_internal.workflows_awaiting_novu_sync(bigint[]);
