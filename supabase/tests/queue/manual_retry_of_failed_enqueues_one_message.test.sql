begin;
select plan(1);

select tests.create_notification_in_status(tests.enterprise_a(), 'failed', 'FAILED');
delete from pgmq.q_notification_dispatch where message ->> 'notification_id' = (select id::text from notify.ent_notification where name = 'failed');
select notify_internal.retry_failed(array_agg(id)) from notify.ent_notification where name = 'failed';
select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'failed')), 1::bigint, 'a new message');

select * from finish();
rollback;
