-- Novu can send a message webhook before XNovu has recorded its answer to the trigger: the
-- dispatcher stores transaction_id when it marks the row SENT, after Novu's 201, while Novu
-- may already have run the workflow and Svix delivered the webhook (seen in the e2e suite:
-- an EMAIL message.sent answered 'unlinked' and was lost, since a 2xx is never retried). A
-- notification's transactionIds are fixed by its id and recipient count (xnovu-<id>-<chunk>,
-- shared/novu/transaction-id.ts), so a signed event names its notification whatever the
-- row's status: record_delivery_event now links by that plan instead of by the stored id.

create function notify_internal.planned_novu_transaction_ids(
  p_notification_id bigint,
  p_recipient_count integer
) returns text[]
language sql
immutable
security invoker
set search_path = ''
as $$
  -- The chunk size is Novu's trigger limit (MAX_RECIPIENTS_PER_TRIGGER in
  -- shared/novu/transaction-id.ts); the e2e chunking test compares this list
  -- with the events Novu received.
  select array(
    select pg_catalog.format('xnovu-%s-%s', p_notification_id, chunk)
      from pg_catalog.generate_series(0, ceil(coalesce(p_recipient_count, 0) / 100.0)::integer - 1) as chunk
     order by chunk
  )
$$;
comment on function notify_internal.planned_novu_transaction_ids(bigint, integer) is 'The Novu transactionId the dispatcher gives each event of a notification with this many recipients, one per chunk of 100: xnovu-<id>-0, xnovu-<id>-1, ... The one statement of that rule in SQL.';
revoke execute on function notify_internal.planned_novu_transaction_ids(bigint, integer) from public, anon;
grant execute on function notify_internal.planned_novu_transaction_ids(bigint, integer) to authenticated, service_role;

create or replace function notify.novu_transaction_ids(notification_id bigint)
returns text[]
language sql
stable
security invoker
set search_path = ''
as $$
  select notify_internal.planned_novu_transaction_ids(n.id, cardinality(n.recipients))
    from notify.ent_notification n
   where n.id = novu_transaction_ids.notification_id
     and n.transaction_id is not null
$$;

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
  v_notification notify.ent_notification;
  v_event notify.delivery_event;
begin
  if exists (select from notify.delivery_event e where e.svix_id = p_svix_id) then
    return 'replayed';
  end if;
  select n.* into v_notification
  from notify.ent_notification n
  where n.id = p_notification_id
    and p_transaction_id = any (notify_internal.planned_novu_transaction_ids(n.id, cardinality(n.recipients)))
  for update;
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
  if v_event.event_type = 'message.failed' and v_notification.notification_status = 'SENT' then
    perform notify_internal.move_status(
      v_notification.id, 'FAILED', notify_internal.delivery_failure_details(v_event)
    );
  end if;
  return 'recorded';
end
$$;
comment on function notify_internal.record_delivery_event(text, text, text, bigint, text, text, text, text, text, text, jsonb, timestamptz) is 'Records one verified Novu message webhook event for the notification whose Novu transactionId it carries, whatever the notification''s status (an event may overtake the dispatcher''s mark_sent). Returns recorded, duplicate (Novu event id seen before: nothing changes), replayed (svix-id seen before: nothing changes), or unlinked (no such notification, or a transactionId that is not one of its planned ones: nothing stored). message.failed moves a SENT notification to FAILED (novu_delivery_failed); no event moves a status anywhere else.';
