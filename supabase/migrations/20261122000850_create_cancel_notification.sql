-- The cancellation RPC. PENDING rows are retracted before any send (the claim
-- only takes PENDING rows, so their queue message can no longer cause a send);
-- PROCESSING and SENT rows are retracted and a notification_cancellation
-- message tells the dispatcher to cancel their Novu events. Cancel and claim
-- serialise on the row lock, so a race resolves to one consistent outcome.

create function notify.cancel_notification(notification_id bigint, reason text default null)
returns notify.ent_notification
language plpgsql
-- Definer: the caller may not update status columns (column grants) nor write
-- to pgmq. The enterprise check that RLS would make is therefore made
-- explicitly below for every caller that does not bypass RLS.
security definer
set search_path = ''
as $$
declare
  -- Inside a definer function current_user is the owner; the role setting
  -- still names the role the caller switched to (PostgREST: authenticated or
  -- service_role), 'none' for a direct login such as the edge functions'.
  v_caller_role text := case current_setting('role')
    when 'none' then session_user::text else current_setting('role') end;
  v_caller_bypasses_rls boolean;
  v_row notify.ent_notification;
  v_from shared_types.notification_status;
begin
  select r.rolbypassrls or r.rolsuper into v_caller_bypasses_rls
  from pg_catalog.pg_roles r where r.rolname = v_caller_role;

  select n.* into v_row
  from notify.ent_notification n
  where n.id = cancel_notification.notification_id
    and (
      coalesce(v_caller_bypasses_rls, false)
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
  elsif v_row.notification_status = 'FAILED' then
    raise exception 'notification % is FAILED and was never delivered; there is nothing to cancel', v_row.id
      using errcode = 'check_violation';
  end if;

  v_from := v_row.notification_status;
  update notify.ent_notification n
  set notification_status = 'RETRACTED', retraction_reason = cancel_notification.reason
  where n.id = v_row.id
  returning n.* into v_row;

  if v_from in ('PROCESSING', 'SENT') then
    perform pgmq.send(queue_name => 'notification_cancellation', msg => jsonb_build_object('notification_id', v_row.id));
  end if;
  return v_row;
end
$$;
comment on function notify.cancel_notification(bigint, text) is 'Retracts a notification of one of the caller''s enterprises (any for service_role) with an optional reason. PENDING: never sent. PROCESSING/SENT: a notification_cancellation message makes the dispatcher cancel its Novu events. RETRACTED or FAILED: error. Unknown or another enterprise''s id: "notification <id> not found".';
revoke execute on function notify.cancel_notification(bigint, text) from public;
grant execute on function notify.cancel_notification(bigint, text) to authenticated, service_role;
