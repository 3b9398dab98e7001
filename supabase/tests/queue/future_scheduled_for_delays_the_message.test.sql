begin;
select plan(2);

select tests.create_notification(tests.enterprise_a(), 'later', 'PUBLISH', now() + interval '1 hour');
select tests.create_notification(tests.enterprise_a(), 'past', 'PUBLISH', now() - interval '1 hour');
select ok((select vt between now() + interval '59 minutes' and now() + interval '61 minutes' from pgmq.q_notification_dispatch where message ->> 'notification_id' = (select id::text from notify.ent_notification where name = 'later')), 'the message becomes visible at scheduled_for');
select ok((select vt <= clock_timestamp() from pgmq.q_notification_dispatch where message ->> 'notification_id' = (select id::text from notify.ent_notification where name = 'past')), 'a past scheduled_for is visible at once');

select * from finish();
rollback;
