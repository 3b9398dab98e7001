-- record_delivery_event locked its notification row (for update) for every
-- webhook event, though only message.failed may move its status (SENT ->
-- FAILED). Every message.sent, delivered or seen thus wrote a row lock into
-- the notification's heap tuple, and waited for, or held up, the dispatcher's
-- mark-sent of that row's batch of a hundred. Now the row is read without a
-- lock and locked only for a failure, after the event is recorded; the status
-- is read again under the lock, so a mark-sent that committed meanwhile is
-- seen (and one still running sees this event once it commits: the trigger
-- fail_sent_notifications_with_failed_deliveries). Same outcomes.

create or replace function notify_internal.record_delivery_event(
  p_svix_id text,
  p_event_id text,
  p_event_type text,
  p_notification_id bigint,
  p_transaction_id text,
  p_subscriber_id text,
  p_channel text,
  p_step_id text,
  p_message_id text,
  p_error_message text,
  p_data jsonb,
  p_occurred_at timestamptz
) returns text
language plpgsql
-- Definer: the table is append-only and nobody, service_role included, has
-- write privileges on it; only this function writes it.
security definer
set search_path = ''
as $$
declare
  -- Only what the event row needs: reading n.* would detoast the payload on every webhook.
  v_notification record;
  v_event notify.delivery_event;
  v_status shared_types.notification_status;
begin
  if exists (select from notify.delivery_event e where e.svix_id = p_svix_id) then
    return 'replayed';
  end if;
  select n.id, n.enterprise_id into v_notification
  from notify.ent_notification n
  where n.id = p_notification_id
    and p_transaction_id = any (notify_internal.planned_novu_transaction_ids(n.id, cardinality(n.recipients)));
  if not found then
    return 'unlinked';
  end if;
  insert into notify.delivery_event (
    event_id, svix_id, notification_id, enterprise_id, transaction_id, event_type, subscriber_id,
    channel, step_id, message_id, error_message, data, occurred_at
  )
  values (
    p_event_id, p_svix_id, v_notification.id, v_notification.enterprise_id, p_transaction_id,
    p_event_type, p_subscriber_id,
    (select c from unnest(enum_range(null::shared_types.notification_channel_type)) c where c::text = upper(p_channel)),
    p_step_id, p_message_id, p_error_message, p_data, p_occurred_at
  )
  on conflict do nothing
  returning * into v_event;
  if not found then
    return case when exists (select from notify.delivery_event e where e.svix_id = p_svix_id)
      then 'replayed' else 'duplicate' end;
  end if;
  if v_event.event_type = 'message.failed' then
    select n.notification_status into v_status
    from notify.ent_notification n
    where n.id = v_notification.id
    for update;
    if v_status = 'SENT' then
      perform notify_internal.move_status(
        v_notification.id, 'FAILED', notify_internal.delivery_failure_details(v_event)
      );
    end if;
  end if;
  return 'recorded';
end
$$;
