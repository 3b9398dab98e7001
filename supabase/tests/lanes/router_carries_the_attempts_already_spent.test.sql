begin;
select plan(2);
select tests.wait_for_dispatch_router();

select tests.create_notification(tests.enterprise_a(), 'fresh', 'PUBLISH');
select tests.create_notification(tests.enterprise_a(), 'tried', 'PUBLISH');
-- Read four times before (first in, first out, or by processing that died), and put back
-- once after a 429 with two attempts spent under an earlier message.
update pgmq.q_notification_dispatch set read_ct = 4, message = message || '{"attempts": 2}'
 where message ->> 'notification_id' = (select id::text from notify.ent_notification where name = 'tried');
select notify_internal.route_dispatch_intake(100000);

select is(
  (select m.message ->> 'attempts' from pgmq.read(queue_name => notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_a()), vt => 0, qty => 1000) m
    where m.message ->> 'notification_id' = (select id::text from notify.ent_notification where name = 'tried')),
  '6', 'a routed message carries every attempt spent before (2 earlier + 4 reads), not the router''s read'
);
select ok(
  (select not (m.message ? 'attempts') from pgmq.read(queue_name => notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_a()), vt => 0, qty => 1000) m
    where m.message ->> 'notification_id' = (select id::text from notify.ent_notification where name = 'fresh')),
  'a fresh message carries no attempts'
);

select * from finish();
rollback;
