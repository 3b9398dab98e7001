begin;
select plan(5);
select tests.wait_for_dispatch_router();

select tests.create_notification(tests.enterprise_a(), 'a due', 'PUBLISH');
select tests.create_notification(tests.enterprise_b(), 'b due', 'PUBLISH');
select tests.create_notification(tests.enterprise_a(), 'a later', 'PUBLISH', now() + interval '1 hour');

select cmp_ok(notify_internal.route_dispatch_intake(100000), '>=', 2, 'the router moves the visible intake messages');
select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'a due')), 0::bigint, 'a routed message leaves the intake');
select results_eq(
  $$select m.message from pgmq.read(queue_name => notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_a()), vt => 0, qty => 1000) m
    where m.message ->> 'notification_id' = (select id::text from notify.ent_notification where name = 'a due')$$,
  $$select jsonb_build_object('notification_id', id, 'enterprise_id', enterprise_id) from notify.ent_notification where name = 'a due'$$,
  'A''s message is in A''s normal lane, naming its enterprise'
);
select is(
  (select count(*)::int from pgmq.read(queue_name => notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_b()), vt => 0, qty => 1000) m
    where m.message ->> 'notification_id' = (select id::text from notify.ent_notification where name = 'b due')),
  1, 'B''s message is in B''s own lane'
);
select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'a later')), 1::bigint, 'a scheduled message waits in the intake until due');

select * from finish();
rollback;
