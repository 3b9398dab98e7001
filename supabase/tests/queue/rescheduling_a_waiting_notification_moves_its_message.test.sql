begin;
select plan(9);

select tests.capture_dispatcher_kicks('http://127.0.0.1:9/reschedule-test');

create function pg_temp.message_vt(p_name text) returns table (vt timestamptz) language sql as $$
  select q.vt from pgmq.q_notification_dispatch q
   where q.message ->> 'notification_id' = (select id::text from notify.ent_notification where name = p_name)
$$;

select tests.create_notification(tests.enterprise_a(), 'earlier', 'PUBLISH', now() + interval '150 seconds');
select tests.create_notification(tests.enterprise_a(), 'now', 'PUBLISH', now() + interval '150 seconds');
select tests.create_notification(tests.enterprise_a(), 'later', 'PUBLISH', now() + interval '10 seconds');
select tests.create_notification(tests.enterprise_a(), 'draft', 'DRAFT', now() + interval '150 seconds');
delete from net.http_request_queue where url like 'http://127.0.0.1:9/reschedule-test%';

update notify.ent_notification set scheduled_for = clock_timestamp() + interval '10 seconds' where name = 'earlier';
select is((select count(*) from pg_temp.message_vt('earlier')), 1::bigint, 'moved earlier: still exactly one message');
select ok((select vt between clock_timestamp() + interval '5 seconds' and clock_timestamp() + interval '12 seconds' from pg_temp.message_vt('earlier')), 'moved earlier: the message becomes visible at the new time, not at the old one');
select is((select count(*)::int from net.http_request_queue where url = 'http://127.0.0.1:9/reschedule-test/dispatcher'), 1, 'the dispatcher is kicked to re-arm its wake-up');

update notify.ent_notification set scheduled_for = null where name = 'now';
select is((select count(*) from pg_temp.message_vt('now')), 1::bigint, 'moved to null: still exactly one message');
select ok((select vt <= clock_timestamp() + interval '1 second' from pg_temp.message_vt('now')), 'moved to null: the message is visible at once');

update notify.ent_notification set scheduled_for = clock_timestamp() + interval '1 hour' where name = 'later';
select is((select count(*) from pg_temp.message_vt('later')), 1::bigint, 'moved later: still exactly one message');
select ok((select vt between clock_timestamp() + interval '59 minutes' and clock_timestamp() + interval '61 minutes' from pg_temp.message_vt('later')), 'moved later: the message stays hidden until the new time');

update notify.ent_notification set scheduled_for = clock_timestamp() + interval '10 seconds' where name = 'draft';
select is((select count(*) from pg_temp.message_vt('draft')), 0::bigint, 'a draft gets no message by being rescheduled');

update notify.ent_notification set description = 'touched' where name in ('earlier', 'now', 'later');
select is((select count(*)::int from net.http_request_queue where url = 'http://127.0.0.1:9/reschedule-test/dispatcher'), 3, 'an update that does not reschedule neither moves messages nor kicks');

select * from finish();
rollback;
