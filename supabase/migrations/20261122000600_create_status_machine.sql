-- The notification status machine (docs/internals.md). A before-update trigger
-- on notify.ent_notification is the single enforcement point: every status
-- change, whoever makes it, is checked and stamped here, and an after-update
-- trigger records it in notify.notification_status_history. The functions below
-- are the only way the platform changes status (authenticated has no update
-- privilege on the status columns; see the grants migration).

create table notify.notification_status_history (
  id bigint generated always as identity primary key,
  notification_id bigint not null references notify.ent_notification (id) on delete cascade,
  enterprise_id uuid,
  from_status shared_types.notification_status not null,
  to_status shared_types.notification_status not null,
  changed_at timestamptz not null default now(),
  changed_by uuid,
  changed_by_role text,
  reason text,
  details jsonb,
  constraint notification_status_history_records_a_change check (from_status <> to_status)
);
comment on table notify.notification_status_history is 'Append-only log of every notification status change (who, when, from, to, why); written only by the status trigger.';
create index notification_status_history_notification_idx on notify.notification_status_history (notification_id, changed_at);
create index notification_status_history_enterprise_idx on notify.notification_status_history (enterprise_id, changed_at);

create function notify_internal.is_legal_status_transition(
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
    ('PROCESSING', 'PENDING'),
    ('FAILED', 'PENDING')
  )
$$;
comment on function notify_internal.is_legal_status_transition(shared_types.notification_status, shared_types.notification_status) is 'The legal moves of the status machine; the one place they are listed.';
revoke execute on function notify_internal.is_legal_status_transition(shared_types.notification_status, shared_types.notification_status) from public;

create function notify_internal.assert_status_transition(
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
        hint = 'Legal moves: PENDING->PROCESSING->SENT|FAILED, PENDING|PROCESSING|SENT->RETRACTED, PROCESSING->PENDING, FAILED->PENDING.';
  end if;
end
$$;
comment on function notify_internal.assert_status_transition(shared_types.notification_status, shared_types.notification_status) is 'Raises "illegal notification status transition from <from> to <to>" unless the move is legal.';
revoke execute on function notify_internal.assert_status_transition(shared_types.notification_status, shared_types.notification_status) from public;

create function notify_internal.enforce_status_transition() returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  perform notify_internal.assert_status_transition(old.notification_status, new.notification_status);
  case new.notification_status
    when 'SENT', 'FAILED' then
      new.processed_at := now();
    when 'RETRACTED' then
      new.retracted_at := now();
    when 'PENDING' then
      new.processed_at := null;
    else
      null;
  end case;
  return new;
end
$$;
comment on function notify_internal.enforce_status_transition() is 'Trigger: rejects illegal status moves and stamps processed_at (SENT/FAILED, cleared on PENDING) and retracted_at (RETRACTED).';
revoke execute on function notify_internal.enforce_status_transition() from public;

create trigger enforce_status_transition
  before update of notification_status on notify.ent_notification
  for each row
  when (old.notification_status is distinct from new.notification_status)
  execute function notify_internal.enforce_status_transition();

create function notify_internal.record_status_change() returns trigger
language plpgsql
-- Definer: the history is append-only and nobody, service_role included, has
-- write privileges on it; only this trigger writes it.
security definer
set search_path = ''
as $$
begin
  insert into notify.notification_status_history
    (notification_id, enterprise_id, from_status, to_status, changed_by, changed_by_role, reason, details)
  values (
    new.id,
    new.enterprise_id,
    old.notification_status,
    new.notification_status,
    auth.uid(),
    coalesce(auth.role(), nullif(current_setting('role'), 'none'), session_user::text),
    case
      when new.notification_status = 'RETRACTED' then new.retraction_reason
      when old.notification_status = 'PROCESSING' and new.notification_status = 'PENDING' then 'retry'
      when old.notification_status = 'FAILED' and new.notification_status = 'PENDING' then 'manual retry'
    end,
    jsonb_strip_nulls(jsonb_build_object(
      'transaction_id', new.transaction_id,
      'error_details', case when new.notification_status in ('FAILED', 'PENDING') then new.error_details end
    ))
  );
  return null;
end
$$;
comment on function notify_internal.record_status_change() is 'Trigger: writes one notify.notification_status_history row per status change.';
revoke execute on function notify_internal.record_status_change() from public;

create trigger record_status_change
  after update of notification_status on notify.ent_notification
  for each row
  when (old.notification_status is distinct from new.notification_status)
  execute function notify_internal.record_status_change();

create function notify_internal.claim_notifications(p_ids bigint[])
returns setof notify.ent_notification
language sql
security invoker
set search_path = ''
as $$
  with claimed as (
    update notify.ent_notification n
    set notification_status = 'PROCESSING'
    where n.id = any (p_ids)
      and n.notification_status = 'PENDING'
      and n.publish_status = 'PUBLISH'
      and not n.deactivated
      and (n.scheduled_for is null or n.scheduled_for <= now())
    returning n.*
  )
  select * from claimed
  union all
  select n.* from notify.ent_notification n
  where n.id = any (p_ids) and n.notification_status = 'PROCESSING'
$$;
comment on function notify_internal.claim_notifications(bigint[]) is 'Atomically moves the given PENDING, published, active and due notifications to PROCESSING and returns them, plus those already PROCESSING (a queue message that reappeared after a crash). Rows not returned must not be sent.';

create function notify_internal.move_status(
  p_id bigint,
  p_to shared_types.notification_status,
  p_error_details jsonb default null,
  p_transaction_id text default null
) returns notify.ent_notification
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_from shared_types.notification_status;
  v_row notify.ent_notification;
begin
  select n.notification_status into v_from from notify.ent_notification n where n.id = p_id for update;
  if not found then
    raise exception 'notification % not found', p_id using errcode = 'no_data_found';
  end if;
  -- The trigger only sees real changes; this catches a repeated move (e.g. SENT
  -- twice) with the same rule and message.
  perform notify_internal.assert_status_transition(v_from, p_to);
  update notify.ent_notification n
  set notification_status = p_to,
    error_details = coalesce(p_error_details, n.error_details),
    transaction_id = coalesce(p_transaction_id, n.transaction_id)
  where n.id = p_id
  returning n.* into v_row;
  return v_row;
end
$$;
comment on function notify_internal.move_status(bigint, shared_types.notification_status, jsonb, text) is 'Shared body of mark_sent, mark_failed, release_for_retry and retry_failed: locks the row, checks the move and applies it with its details.';

create function notify_internal.mark_sent(p_id bigint, p_transaction_id text)
returns notify.ent_notification
language sql
security invoker
set search_path = ''
as $$
  select notify_internal.move_status(p_id, 'SENT', p_transaction_id => p_transaction_id)
$$;
comment on function notify_internal.mark_sent(bigint, text) is 'PROCESSING -> SENT with the Novu transaction id prefix (xnovu-<id>).';

create function notify_internal.mark_failed(p_id bigint, p_error_details jsonb)
returns notify.ent_notification
language sql
security invoker
set search_path = ''
as $$
  select notify_internal.move_status(p_id, 'FAILED', p_error_details => p_error_details)
$$;
comment on function notify_internal.mark_failed(bigint, jsonb) is 'PROCESSING -> FAILED recording what failed, the attempts and the last upstream answer in error_details.';

create function notify_internal.release_for_retry(p_id bigint, p_error_details jsonb)
returns notify.ent_notification
language sql
security invoker
set search_path = ''
as $$
  select notify_internal.move_status(p_id, 'PENDING', p_error_details => p_error_details)
$$;
comment on function notify_internal.release_for_retry(bigint, jsonb) is 'PROCESSING -> PENDING after a transient failure; the existing queue message is retried, no new one is sent.';

create function notify_internal.retry_failed(p_id bigint)
returns notify.ent_notification
language sql
security invoker
set search_path = ''
as $$
  select notify_internal.move_status(p_id, 'PENDING')
$$;
comment on function notify_internal.retry_failed(bigint) is 'FAILED -> PENDING (manual retry); the enqueue trigger sends a new queue message.';

do $$
declare
  v_function text;
begin
  foreach v_function in array array[
    'notify_internal.claim_notifications(bigint[])',
    'notify_internal.move_status(bigint, shared_types.notification_status, jsonb, text)',
    'notify_internal.mark_sent(bigint, text)',
    'notify_internal.mark_failed(bigint, jsonb)',
    'notify_internal.release_for_retry(bigint, jsonb)',
    'notify_internal.retry_failed(bigint)'
  ] loop
    execute format('revoke execute on function %s from public', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
