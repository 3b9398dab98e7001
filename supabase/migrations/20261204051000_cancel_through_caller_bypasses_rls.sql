-- cancel_notification asks notify_internal.caller_bypasses_rls() (the one
-- rule for "does the calling role reach every enterprise", also used by
-- emit_event, the dashboard functions and the bulk operator actions) instead
-- of repeating its pg_roles lookup.

create or replace function notify.cancel_notification(notification_id bigint, reason text default null)
returns notify.ent_notification
language plpgsql
-- Definer: the caller may not update status columns (column grants) nor write
-- to pgmq. The enterprise check that RLS would make is therefore made
-- explicitly below for every caller that does not bypass RLS.
security definer
set search_path = ''
as $$
declare
  v_row notify.ent_notification;
  v_from shared_types.notification_status;
begin
  select n.* into v_row
  from notify.ent_notification n
  where n.id = cancel_notification.notification_id
    and (
      (select notify_internal.caller_bypasses_rls())
      or n.enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[])
    )
  for update;
  if not found then
    raise exception 'notification % not found', cancel_notification.notification_id
      using errcode = 'no_data_found';
  end if;

  -- Documented choice: cancelling what cannot be cancelled is an error, not a
  -- silent no-op, so callers learn that nothing changed.
  if v_row.notification_status = 'RETRACTED' then
    raise exception 'notification % is already RETRACTED', v_row.id
      using errcode = 'check_violation';
  end if;

  v_from := v_row.notification_status;
  update notify.ent_notification n
  set notification_status = 'RETRACTED', retraction_reason = cancel_notification.reason
  where n.id = v_row.id
  returning n.* into v_row;

  if v_from in ('PROCESSING', 'SENT', 'FAILED') then
    perform pgmq.send(queue_name => 'notification_cancellation', msg => jsonb_build_object('notification_id', v_row.id));
  end if;
  return v_row;
end
$$;
comment on function notify.cancel_notification(bigint, text) is 'Retracts a notification of one of the caller''s enterprises (any for service_role) with an optional reason. PENDING: never sent. PROCESSING/SENT/FAILED: a notification_cancellation message makes the dispatcher cancel its Novu events (a FAILED one may have reached Novu for some recipients); a FAILED one can no longer be retried. RETRACTED: error. Unknown or another enterprise''s id: "notification <id> not found".';
