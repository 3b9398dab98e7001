-- Delivery feedback from Novu (issue 11): what Novu's outbound message webhooks
-- say happened to each message, per notification, recipient and channel step.
--
-- Novu sends, through Svix, an envelope { id, type, object, data, timestamp,
-- environmentId } (novuhq/novu libs/application-generic/src/webhooks/dtos/
-- webhook-payload.dto.ts, WrapperDto) whose data.object is the message
-- (webhooks/mappers/message.mapper.ts, messageWebhookMapper: _id,
-- transactionId, subscriberId, channel, stepId, workflowId, status, ...) and,
-- for message.failed, data.error.message. Message event types:
-- https://docs.novu.co/platform/developer/webhooks/event-types (message.sent,
-- delivered, seen, read, unread, archived, unarchived, snoozed, unsnoozed,
-- failed). The novu-webhook function verifies the signature and calls
-- notify_internal.record_delivery_event; nothing else writes the table.
--
-- Status rule, one way only: a message.failed for a SENT notification moves it
-- to FAILED (kind novu_delivery_failed, the event in error_details); nothing a
-- webhook says ever moves a notification anywhere else, so a later delivered
-- or seen never undoes that failure, and FAILED or RETRACTED rows keep their
-- status. A failure reported while the row is still PROCESSING or PENDING (the
-- webhook overtook the dispatcher's mark_sent) is applied when it becomes SENT.

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
    ('SENT', 'FAILED'),
    ('PENDING', 'RETRACTED'),
    ('PROCESSING', 'RETRACTED'),
    ('SENT', 'RETRACTED'),
    ('FAILED', 'RETRACTED'),
    ('PROCESSING', 'PENDING'),
    ('FAILED', 'PENDING')
  )
$$;
comment on function notify_internal.is_legal_status_transition(shared_types.notification_status, shared_types.notification_status) is 'The legal moves of the status machine; the one place they are listed. SENT -> FAILED: Novu reported a message of the notification failed (notify_internal.record_delivery_event).';

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
        hint = 'Legal moves: PENDING->PROCESSING->SENT|FAILED, SENT->FAILED, PENDING|PROCESSING|SENT|FAILED->RETRACTED, PROCESSING->PENDING, FAILED->PENDING.';
  end if;
end
$$;
comment on function notify_internal.assert_status_transition(shared_types.notification_status, shared_types.notification_status) is 'Raises "illegal notification status transition from <from> to <to>" unless the move is legal.';

create table notify.delivery_event (
  id bigint generated always as identity primary key,
  event_id text not null,
  svix_id text not null,
  notification_id bigint not null references notify.ent_notification (id) on delete cascade,
  enterprise_id uuid,
  transaction_id text not null,
  event_type text not null,
  subscriber_id text,
  channel shared_types.notification_channel_type,
  step_id text,
  message_id text,
  error_message text,
  data jsonb not null,
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  constraint delivery_event_is_recorded_once_per_novu_event unique (event_id),
  constraint delivery_event_is_recorded_once_per_svix_message unique (svix_id),
  constraint delivery_event_type_is_a_message_event check (event_type ~ '^message\.[a-z_]+$'),
  constraint delivery_event_ids_are_short check (
    length(event_id) between 1 and 200 and length(svix_id) between 1 and 200 and length(transaction_id) <= 200
  )
);
comment on table notify.delivery_event is 'One row per Novu message webhook event (message.sent, delivered, seen, read, failed, ...): the notification (from the event''s transactionId), recipient (subscriber_id), channel and workflow step it is about, Novu''s message id, the failure text of message.failed, and the event''s data as received. Unique by Novu''s event id and by the Svix message id. Written only by notify_internal.record_delivery_event.';
comment on column notify.delivery_event.event_id is 'Novu''s webhook event id (the envelope''s id, evt_...): the same event is recorded once.';
comment on column notify.delivery_event.svix_id is 'The svix-id header of the delivery that brought the event: a second delivery with the same id is a replay and is refused.';
comment on column notify.delivery_event.occurred_at is 'The envelope''s timestamp (when Novu emitted the event).';
create index delivery_event_notification_idx on notify.delivery_event (notification_id, occurred_at);
create index delivery_event_enterprise_idx on notify.delivery_event (enterprise_id, occurred_at);
create index delivery_event_failure_idx on notify.delivery_event (notification_id) where event_type = 'message.failed';

alter table notify.delivery_event enable row level security;
revoke all on notify.delivery_event from public, anon, authenticated;
grant select on notify.delivery_event to authenticated, service_role;
create policy "members read their enterprises' delivery events" on notify.delivery_event
  for select to authenticated
  using (enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]));

create function notify_internal.delivery_failure_details(p_event notify.delivery_event)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
  select jsonb_build_object(
    'kind', 'novu_delivery_failed',
    'message', format(
      'Novu failed the %s message to subscriber %s (step %s): %s',
      coalesce(lower(p_event.channel::text), 'unknown channel'), coalesce(p_event.subscriber_id, 'unknown'),
      coalesce(p_event.step_id, 'unknown'), coalesce(p_event.error_message, 'no reason given')
    ),
    'upstream_status', null,
    'upstream_body', null,
    'delivery_event', jsonb_build_object(
      'event_id', p_event.event_id, 'event_type', p_event.event_type,
      'transaction_id', p_event.transaction_id, 'subscriber_id', p_event.subscriber_id,
      'channel', p_event.channel, 'step_id', p_event.step_id, 'message_id', p_event.message_id,
      'error_message', p_event.error_message, 'occurred_at', p_event.occurred_at
    )
  )
$$;
comment on function notify_internal.delivery_failure_details(notify.delivery_event) is 'The error_details of a notification Novu failed: kind novu_delivery_failed, a sentence naming channel, subscriber, step and Novu''s reason, and the event itself.';
revoke execute on function notify_internal.delivery_failure_details(notify.delivery_event) from public;

create function notify_internal.record_delivery_event(
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
    and p_transaction_id = any (notify.novu_transaction_ids(n.id))
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
comment on function notify_internal.record_delivery_event(text, text, text, bigint, text, text, text, text, text, text, jsonb, timestamptz) is 'Records one verified Novu message webhook event for the notification whose Novu transactionId it carries. Returns recorded, duplicate (Novu event id seen before: nothing changes), replayed (svix-id seen before: nothing changes), or unlinked (no such notification or transactionId: nothing stored). message.failed moves a SENT notification to FAILED (novu_delivery_failed); no event moves a status anywhere else.';
revoke execute on function notify_internal.record_delivery_event(text, text, text, bigint, text, text, text, text, text, text, jsonb, timestamptz) from public;
grant execute on function notify_internal.record_delivery_event(text, text, text, bigint, text, text, text, text, text, text, jsonb, timestamptz) to service_role;

create function notify_internal.fail_sent_notifications_with_failed_deliveries() returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_row record;
begin
  -- A SENT row with a recorded failure exists only here: record_delivery_event
  -- fails a SENT row at once, so only rows this statement made SENT can match.
  for v_row in
    select n.id, (
      select e from notify.delivery_event e
      where e.notification_id = n.id and e.event_type = 'message.failed'
      order by e.occurred_at, e.id limit 1
    ) as failure
    from new_rows n
    where n.notification_status = 'SENT'
      and exists (
        select from notify.delivery_event e
        where e.notification_id = n.id and e.event_type = 'message.failed'
      )
  loop
    perform notify_internal.move_status(
      v_row.id, 'FAILED', notify_internal.delivery_failure_details(v_row.failure)
    );
  end loop;
  return null;
end
$$;
comment on function notify_internal.fail_sent_notifications_with_failed_deliveries() is 'Statement trigger: a notification that becomes SENT after Novu already reported one of its messages failed (the webhook overtook mark_sent) is moved on to FAILED with that failure.';
revoke execute on function notify_internal.fail_sent_notifications_with_failed_deliveries() from public;

create trigger fail_sent_notifications_with_failed_deliveries
  after update on notify.ent_notification
  referencing new table as new_rows
  for each statement
  execute function notify_internal.fail_sent_notifications_with_failed_deliveries();
