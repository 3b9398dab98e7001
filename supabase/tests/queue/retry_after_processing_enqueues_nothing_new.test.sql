begin;
select plan(1);

select tests.create_notification_in_status(tests.enterprise_a(), 'retrying', 'PROCESSING');
select notify_internal.release_for_retry(id, '{"error": "timeout"}') from notify.ent_notification where name = 'retrying';
select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'retrying')), 1::bigint, 'only the original message');

select * from finish();
rollback;
