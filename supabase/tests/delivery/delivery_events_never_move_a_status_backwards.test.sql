begin;
select plan(8);

select tests.create_notification_in_status(tests.enterprise_a(), 'sent', 'SENT');
select tests.create_notification_in_status(tests.enterprise_a(), 'retracted', 'RETRACTED');
select tests.create_notification_in_status(tests.enterprise_a(), 'processing', 'PROCESSING');
update notify.ent_notification set transaction_id = format('xnovu-%s-0', id) where name = 'processing';
create function pg_temp.record(p_name text, p_event_id text, p_type text, p_error text default null) returns text
language sql as $$
  select notify_internal.record_delivery_event(
    'msg_' || p_event_id, p_event_id, p_type, n.id, format('xnovu-%s-0', n.id),
    'd0000000-0000-4000-8000-00000000000d', 'sms', 'sms-step', 'm-' || p_event_id, p_error, '{}', now()
  ) from notify.ent_notification n where n.name = p_name
$$;
create function pg_temp.status(p_name text) returns text
language sql as $$ select notification_status::text from notify.ent_notification where name = p_name $$;

select pg_temp.record('sent', 'evt_sent', 'message.sent');
select pg_temp.record('sent', 'evt_delivered', 'message.delivered');
select is(pg_temp.status('sent'), 'SENT', 'sent and delivered leave a SENT notification SENT');
select pg_temp.record('sent', 'evt_failed', 'message.failed', 'provider rejected the number');
select is(pg_temp.status('sent'), 'FAILED', 'a failed message fails the SENT notification');
select is(
  (select error_details ->> 'kind' || ' / ' || (error_details -> 'delivery_event' ->> 'event_id') from notify.ent_notification where name = 'sent'),
  'novu_delivery_failed / evt_failed',
  'with kind novu_delivery_failed and the event in error_details'
);
select ok(
  (select error_details ->> 'message' from notify.ent_notification where name = 'sent') like '%sms%provider rejected the number%',
  'the message names the channel and Novu''s reason'
);
select pg_temp.record('sent', 'evt_late_delivered', 'message.delivered');
select pg_temp.record('sent', 'evt_seen', 'message.seen');
select is(pg_temp.status('sent'), 'FAILED', 'a later delivered or seen never undoes the failure');

select pg_temp.record('retracted', 'evt_retracted_failed', 'message.failed', 'too late');
select is(pg_temp.status('retracted'), 'RETRACTED', 'a failure of a RETRACTED notification leaves it RETRACTED');

select pg_temp.record('processing', 'evt_early_failed', 'message.failed', 'before mark_sent');
select is(pg_temp.status('processing'), 'PROCESSING', 'a failure that overtakes mark_sent leaves PROCESSING alone');
select notify_internal.mark_sent(id, transaction_id) from notify.ent_notification where name = 'processing';
select is(pg_temp.status('processing'), 'FAILED', 'and fails the notification as soon as it is SENT');

select * from finish();
rollback;
