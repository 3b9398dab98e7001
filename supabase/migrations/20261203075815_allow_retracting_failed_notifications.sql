-- FAILED -> RETRACTED (seed 05's lifecycle): an operator withdraws a failed
-- notification so that no manual retry (FAILED -> PENDING) can ever send it, and
-- nothing leaves RETRACTED. A FAILED notification may still have reached Novu in
-- part (one chunk of recipients accepted before another chunk's permanent
-- failure failed the whole notification), so retracting it queues a Novu cancel
-- exactly like a PROCESSING or SENT one; cancelling an id Novu never saw is a
-- harmless no-op there.

create or replace function notify_internal.is_legal_status_transition(
  p_from shared_types.notification_status,
  p_to shared_types.notification_status
) returns boolean
language sql
immutable
security invoker
set search_path = ''
as $$
  select (p_from, p_to) in (
    ('PENDING'::shared_types.notification_status, 'PROCESSING'::shared_types.notification_status),
    ('PROCESSING', 'SENT'),
    ('PROCESSING', 'FAILED'),
    ('PENDING', 'RETRACTED'),
    ('PROCESSING', 'RETRACTED'),
    ('SENT', 'RETRACTED'),
    ('FAILED', 'RETRACTED'),
    ('PROCESSING', 'PENDING'),
    ('FAILED', 'PENDING')
  )
$$;
comment on function notify_internal.is_legal_status_transition(shared_types.notification_status, shared_types.notification_status) is 'The legal moves of the status machine; the one place they are listed.';

create or replace function notify_internal.assert_status_transition(
  p_from shared_types.notification_status,
  p_to shared_types.notification_status
) returns void
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
  if not notify_internal.is_legal_status_transition(p_from, p_to) then
    raise exception 'illegal notification status transition from % to %', p_from, p_to
      using errcode = 'check_violation',
        hint = 'Legal moves: PENDING->PROCESSING->SENT|FAILED, PENDING|PROCESSING|SENT|FAILED->RETRACTED, PROCESSING->PENDING, FAILED->PENDING.';
  end if;
end
$$;
comment on function notify_internal.assert_status_transition(shared_types.notification_status, shared_types.notification_status) is 'Raises "illegal notification status transition from <from> to <to>" unless the move is legal.';

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

create or replace function notify_internal.kick_dispatcher_after_retraction() returns trigger
language plpgsql
-- Definer: kick_dispatcher is executable by service_role only, while the
-- retraction may come from an authenticated caller through the cancel RPC.
security definer
set search_path = ''
as $$
begin
  if exists (
    select from new_rows n
    join old_rows o on o.id = n.id
    where n.notification_status = 'RETRACTED'
      and o.notification_status in ('PROCESSING', 'SENT', 'FAILED')
  ) then
    perform notify_internal.kick_dispatcher();
  end if;
  return null;
end
$$;
comment on function notify_internal.kick_dispatcher_after_retraction() is 'Statement trigger: kicks the dispatcher once when the statement retracted a PROCESSING, SENT or FAILED notification, so its queued Novu cancel is sent now rather than at the next sweep.';
