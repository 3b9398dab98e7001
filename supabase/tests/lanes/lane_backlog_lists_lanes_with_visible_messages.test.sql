begin;
select plan(3);
select tests.wait_for_dispatch_router();

select tests.create_notification(tests.enterprise_a(), 'a1', 'PUBLISH');
select tests.create_notification(tests.enterprise_a(), 'a2', 'PUBLISH');
select tests.create_notification(tests.enterprise_a(), 'a3', 'PUBLISH');
select tests.create_notification(tests.enterprise_b(), 'b1', 'PUBLISH');
select notify_internal.route_dispatch_intake(100000);

select is(
  (select visible from notify_internal.dispatch_lane_backlog(1000) where enterprise_id = tests.enterprise_a() and band = 2),
  3, 'A''s normal lane shows its three visible messages'
);
select is(
  (select visible from notify_internal.dispatch_lane_backlog(2) where enterprise_id = tests.enterprise_a() and band = 2),
  2, 'the count stops at the cap'
);
select pgmq.read(queue_name => notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_b()), vt => 60, qty => 1000);
select is_empty(
  $$select from notify_internal.dispatch_lane_backlog(1000) where enterprise_id = tests.enterprise_b()$$,
  'a lane whose messages are all leased is not listed'
);

select * from finish();
rollback;
