-- Set-based status helpers for the dispatcher: one round trip per batch to
-- claim, and one to mark sent, instead of one per notification. Both go
-- through the status machine (the before-update trigger checks every move and
-- writes the history rows); they only batch the calls.

create function notify_internal.claim_dispatch_batch(p_ids bigint[])
returns table (
  id bigint,
  claimed boolean,
  notification_status shared_types.notification_status,
  publish_status shared_types.publish_status,
  deactivated boolean,
  seconds_until_due integer,
  enterprise_id uuid,
  notification_workflow_id bigint,
  payload jsonb,
  recipients uuid[],
  channels shared_types.notification_channel_type[],
  overrides jsonb,
  tags text[]
)
language sql
security invoker
set search_path = ''
as $$
  -- The claim runs through notify_internal.claim_notifications; the join below
  -- reads the rows as of this statement's snapshot, which is before the claim,
  -- so the status of a claimed row is taken from the claim itself.
  with claimed as (
    select c.id from notify_internal.claim_notifications(p_ids) c
  )
  select
    r.id,
    c.id is not null,
    case when c.id is not null then 'PROCESSING'::shared_types.notification_status else n.notification_status end,
    n.publish_status,
    n.deactivated,
    greatest(0, ceil(extract(epoch from n.scheduled_for - now())))::integer,
    n.enterprise_id,
    n.notification_workflow_id,
    n.payload,
    n.recipients,
    n.channels,
    n.overrides,
    n.tags
  from (select distinct u.id from unnest(p_ids) as u (id)) r
  left join claimed c on c.id = r.id
  left join notify.ent_notification n on n.id = r.id
$$;
comment on function notify_internal.claim_dispatch_batch(bigint[]) is 'Claims the given notifications with notify_internal.claim_notifications and reports every requested id once: claimed (PROCESSING, to be sent) or not, with its status, publish state and seconds until scheduled_for, so the dispatcher can delete, delay or send each queue message; id without a row = deleted notification.';

create function notify_internal.mark_sent_batch(p_ids bigint[], p_transaction_ids text[])
returns table (id bigint, notification_status shared_types.notification_status)
language plpgsql
security invoker
set search_path = ''
as $$
begin
  update notify.ent_notification n
  set notification_status = 'SENT', transaction_id = i.transaction_id
  from unnest(p_ids, p_transaction_ids) as i (id, transaction_id)
  where n.id = i.id and n.notification_status = 'PROCESSING';
  -- A separate statement (a fresh snapshot) so a cancel that committed while
  -- the update waited for its row lock shows here as RETRACTED.
  return query
    select u.id, n.notification_status
    from unnest(p_ids) as u (id)
    left join notify.ent_notification n on n.id = u.id;
end
$$;
comment on function notify_internal.mark_sent_batch(bigint[], text[]) is 'PROCESSING -> SENT for each id with its transaction id (xnovu-<id>), skipping rows no longer PROCESSING; returns every id with its status afterwards (RETRACTED = a cancel raced the send, so its Novu events must be cancelled; null = the row is gone).';

do $$
declare
  v_function text;
begin
  foreach v_function in array array[
    'notify_internal.claim_dispatch_batch(bigint[])',
    'notify_internal.mark_sent_batch(bigint[], text[])'
  ] loop
    execute format('revoke execute on function %s from public', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
