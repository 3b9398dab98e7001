begin;
select plan(2);

select tests.create_notification(tests.enterprise_a(), 'published', 'PUBLISH');
select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'published')), 1::bigint, 'one message');
select is((select message from pgmq.q_notification_dispatch where message ->> 'notification_id' = (select id::text from notify.ent_notification where name = 'published')), jsonb_build_object('notification_id', (select id from notify.ent_notification where name = 'published')), 'the message is {"notification_id": <id>}');

select * from finish();
rollback;
