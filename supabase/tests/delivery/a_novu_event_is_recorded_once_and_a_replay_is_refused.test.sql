begin;
select plan(7);

create temporary table sent on commit drop as
  select tests.create_notification_in_status(tests.enterprise_a(), 'sent', 'SENT') as id;
create function pg_temp.record(p_svix_id text, p_event_id text, p_transaction_id text default null) returns text
language sql as $$
  select notify_internal.record_delivery_event(
    p_svix_id, p_event_id, 'message.sent', (select id from sent),
    coalesce(p_transaction_id, format('xnovu-%s-0', (select id from sent))),
    'd0000000-0000-4000-8000-00000000000d', 'email', 'email', 'm1', null, '{"object": {}}', now()
  )
$$;

select is(pg_temp.record('msg_1', 'evt_1'), 'recorded', 'a new event is recorded');
select is(pg_temp.record('msg_2', 'evt_1'), 'duplicate', 'the same Novu event delivered again under another svix-id is a duplicate');
select is(pg_temp.record('msg_1', 'evt_9'), 'replayed', 'a second delivery with a svix-id already stored is a replay');
select is((select count(*) from notify.delivery_event where event_id in ('evt_1', 'evt_3', 'evt_4', 'evt_9') or svix_id in ('msg_1', 'msg_2', 'msg_3', 'msg_4')), 1::bigint, 'duplicates and replays store nothing');
select is(pg_temp.record('msg_3', 'evt_3', 'xnovu-999999999-0'), 'unlinked', 'an event of no notification is unlinked');
select is(pg_temp.record('msg_4', 'evt_4', format('xnovu-%s-1', (select id from sent))), 'unlinked', 'as is a chunk the notification does not have');
select results_eq(
  $$select channel::text, enterprise_id from notify.delivery_event where event_id = 'evt_1'$$,
  $$values ('EMAIL', tests.enterprise_a())$$,
  'the event keeps its channel and its notification''s enterprise'
);

select * from finish();
rollback;
