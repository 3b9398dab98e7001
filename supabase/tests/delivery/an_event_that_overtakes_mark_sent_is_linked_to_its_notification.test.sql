begin;
select plan(6);

-- Claimed by the dispatcher (PROCESSING), its Novu answer not recorded yet: transaction_id is null.
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients)
select 'in flight', tests.enterprise_a(), 'PUBLISH', '{}', array(select gen_random_uuid() from generate_series(1, 250));
select notify_internal.claim_notifications(array(select id from notify.ent_notification where name = 'in flight'));
select id as in_flight_id from notify.ent_notification where name = 'in flight' \gset

create function pg_temp.record(p_event_id text, p_notification_id bigint, p_transaction_id text, p_type text default 'message.sent') returns text
language sql as $$
  select notify_internal.record_delivery_event(
    'msg_' || p_event_id, p_event_id, p_type, p_notification_id, p_transaction_id,
    'd0000000-0000-4000-8000-00000000000d', 'email', 'email-step', 'm-' || p_event_id, null, '{}', now()
  )
$$;

select is((select transaction_id from notify.ent_notification where id = :in_flight_id), null,
  'the fixture is in flight: no transaction_id stored yet');
select is(pg_temp.record('evt_first_chunk', :in_flight_id, format('xnovu-%s-0', :in_flight_id)), 'recorded',
  'an event of the first chunk that overtakes mark_sent is recorded');
select is(pg_temp.record('evt_last_chunk', :in_flight_id, format('xnovu-%s-2', :in_flight_id)), 'recorded',
  'so is one of the last chunk of 250 recipients');
select is(pg_temp.record('evt_no_such_chunk', :in_flight_id, format('xnovu-%s-3', :in_flight_id)), 'unlinked',
  'a chunk the notification does not have is unlinked');
select is(pg_temp.record('evt_other_system', :in_flight_id, 'order-4711'), 'unlinked',
  'a transaction XNovu did not make is unlinked');
select is(
  (select count(*)::int from notify.delivery_event where notification_id = :in_flight_id), 2,
  'only the two linked events are stored');

select * from finish();
rollback;
