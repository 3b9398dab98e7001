-- Operator actions (issue 11): retry FAILED notifications and retract PENDING
-- ones in bulk, by ids or by a filter, as RPCs (PostgREST exposes schema
-- notify). Each returns what it changed: the ids and their new status.
--
-- Security definer: members have no update privilege on the status columns
-- (they move status only through functions) and the manual retry
-- (notify_internal.retry_failed) is service_role's. So, like
-- notify.cancel_notification, each function makes the enterprise check RLS
-- would make itself: a caller that does not bypass RLS
-- (notify_internal.caller_bypasses_rls) reaches only rows of
-- notify_internal.caller_enterprise_ids(); another enterprise's ids are simply
-- not selected, exactly like missing ones.
--
-- One rule in one place: the retry is notify_internal.retry_failed (one
-- statement for the whole set: one enqueue, one dispatcher kick), the
-- retraction is notify.cancel_notification, row by row (PENDING rows need no
-- Novu cancel, so this costs no queue message).

create function notify.retry_failed_notifications(
  notification_ids bigint[] default null,
  enterprise_id uuid default null,
  workflow_key text default null,
  failure_kind text default null,
  failed_after timestamptz default null,
  failed_before timestamptz default null,
  max_rows integer default 1000
) returns table (notification_id bigint, notification_status shared_types.notification_status)
language plpgsql
-- Definer: see the header; the caller's enterprises are checked below.
security definer
set search_path = ''
as $$
declare
  v_every_enterprise boolean := notify_internal.caller_bypasses_rls();
  v_enterprise_ids uuid[] := notify_internal.caller_enterprise_ids();
  v_selected bigint[];
begin
  if retry_failed_notifications.notification_ids is null and retry_failed_notifications.enterprise_id is null
     and retry_failed_notifications.workflow_key is null and retry_failed_notifications.failure_kind is null
     and retry_failed_notifications.failed_after is null and retry_failed_notifications.failed_before is null then
    raise exception 'give notification_ids or at least one filter (enterprise_id, workflow_key, failure_kind, failed_after, failed_before)'
      using errcode = 'invalid_parameter_value';
  end if;
  if retry_failed_notifications.max_rows is null or retry_failed_notifications.max_rows not between 1 and 10000 then
    raise exception 'max_rows must be between 1 and 10000' using errcode = 'invalid_parameter_value';
  end if;

  select array_agg(s.id) into v_selected
  from (
    select n.id
    from notify.ent_notification n
    left join notify.ent_notification_workflow w on w.id = n.notification_workflow_id
    where n.notification_status = 'FAILED'
      and (v_every_enterprise or n.enterprise_id = any (v_enterprise_ids))
      and (retry_failed_notifications.notification_ids is null or n.id = any (retry_failed_notifications.notification_ids))
      and (retry_failed_notifications.enterprise_id is null or n.enterprise_id = retry_failed_notifications.enterprise_id)
      and (retry_failed_notifications.workflow_key is null or w.workflow_key = retry_failed_notifications.workflow_key)
      and (retry_failed_notifications.failure_kind is null or n.error_details ->> 'kind' = retry_failed_notifications.failure_kind)
      and (retry_failed_notifications.failed_after is null or n.processed_at >= retry_failed_notifications.failed_after)
      and (retry_failed_notifications.failed_before is null or n.processed_at < retry_failed_notifications.failed_before)
    order by n.processed_at, n.id
    limit retry_failed_notifications.max_rows
    for update of n
  ) s;

  return query
  select r.id, r.notification_status
  from notify_internal.retry_failed(coalesce(v_selected, '{}')) r
  order by r.id;
end
$$;
comment on function notify.retry_failed_notifications(bigint[], uuid, text, text, timestamptz, timestamptz, integer) is 'Retries FAILED notifications of the caller''s enterprises (any for service_role): those among notification_ids and/or matching every filter given (enterprise_id, workflow_key, failure_kind = error_details.kind, failed_after <= processed_at < failed_before), oldest failure first, at most max_rows (1000; up to 10000) per call. Each goes FAILED -> PENDING and is queued again (same Novu transaction ids). Returns the ids moved and their new status (PENDING); ids that are not FAILED or not the caller''s are left alone and not returned. Needs ids or at least one filter.';
revoke execute on function notify.retry_failed_notifications(bigint[], uuid, text, text, timestamptz, timestamptz, integer) from public;
grant execute on function notify.retry_failed_notifications(bigint[], uuid, text, text, timestamptz, timestamptz, integer) to authenticated, service_role;

create function notify.retract_pending_notifications(
  notification_ids bigint[] default null,
  enterprise_id uuid default null,
  workflow_key text default null,
  created_after timestamptz default null,
  created_before timestamptz default null,
  reason text default null,
  max_rows integer default 1000
) returns table (notification_id bigint, notification_status shared_types.notification_status)
language plpgsql
-- Definer: see the header; the caller's enterprises are checked below (and
-- again by notify.cancel_notification, which applies the same rule).
security definer
set search_path = ''
as $$
declare
  v_every_enterprise boolean := notify_internal.caller_bypasses_rls();
  v_enterprise_ids uuid[] := notify_internal.caller_enterprise_ids();
  v_id bigint;
begin
  if retract_pending_notifications.notification_ids is null and retract_pending_notifications.enterprise_id is null
     and retract_pending_notifications.workflow_key is null and retract_pending_notifications.created_after is null
     and retract_pending_notifications.created_before is null then
    raise exception 'give notification_ids or at least one filter (enterprise_id, workflow_key, created_after, created_before)'
      using errcode = 'invalid_parameter_value';
  end if;
  if retract_pending_notifications.max_rows is null or retract_pending_notifications.max_rows not between 1 and 10000 then
    raise exception 'max_rows must be between 1 and 10000' using errcode = 'invalid_parameter_value';
  end if;

  for v_id in
    select n.id
    from notify.ent_notification n
    left join notify.ent_notification_workflow w on w.id = n.notification_workflow_id
    where n.notification_status = 'PENDING'
      and (v_every_enterprise or n.enterprise_id = any (v_enterprise_ids))
      and (retract_pending_notifications.notification_ids is null or n.id = any (retract_pending_notifications.notification_ids))
      and (retract_pending_notifications.enterprise_id is null or n.enterprise_id = retract_pending_notifications.enterprise_id)
      and (retract_pending_notifications.workflow_key is null or w.workflow_key = retract_pending_notifications.workflow_key)
      and (retract_pending_notifications.created_after is null or n.created_at >= retract_pending_notifications.created_after)
      and (retract_pending_notifications.created_before is null or n.created_at < retract_pending_notifications.created_before)
    order by n.id
    limit retract_pending_notifications.max_rows
    for update of n
  loop
    select c.id, c.notification_status into notification_id, notification_status
    from notify.cancel_notification(v_id, retract_pending_notifications.reason) c;
    return next;
  end loop;
end
$$;
comment on function notify.retract_pending_notifications(bigint[], uuid, text, timestamptz, timestamptz, text, integer) is 'Retracts PENDING notifications of the caller''s enterprises (any for service_role), each through notify.cancel_notification with the given reason: those among notification_ids and/or matching every filter given (enterprise_id, workflow_key, created_after <= created_at < created_before), at most max_rows (1000; up to 10000) per call. They are never sent. Returns the ids retracted and their new status (RETRACTED); ids that are not PENDING or not the caller''s are left alone and not returned. Needs ids or at least one filter.';
revoke execute on function notify.retract_pending_notifications(bigint[], uuid, text, timestamptz, timestamptz, text, integer) from public;
grant execute on function notify.retract_pending_notifications(bigint[], uuid, text, timestamptz, timestamptz, text, integer) to authenticated, service_role;
