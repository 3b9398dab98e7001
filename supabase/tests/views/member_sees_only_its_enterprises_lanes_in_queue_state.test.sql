begin;
select plan(5);

select notify_internal.ensure_dispatch_lane(notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_a()), 2::smallint, tests.enterprise_a());
select notify_internal.ensure_dispatch_lane(notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_b()), 2::smallint, tests.enterprise_b());
select pgmq.send(notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_a()), '{"notification_id": 1}');
select pgmq.send(notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_a()), '{"notification_id": 2}', 3600);
select pgmq.send(notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_b()), '{"notification_id": 3}');

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq(
  $$select kind, enterprise_id, visible, delayed from notify.dashboard_queues$$,
  $$values ('lane', tests.enterprise_a(), 1::bigint, 1::bigint)$$,
  'a member sees its enterprise''s lane, with one visible and one delayed message, and nothing else'
);
select ok(
  (select oldest_visible_age >= interval '0' and longest_visible_wait >= interval '0' from notify.dashboard_queues),
  'the oldest visible message has an age'
);
select tests.clear_authentication();

select tests.authenticate_as(array[]::uuid[]);
select is_empty($$select from notify.dashboard_queues$$, 'a member without enterprises sees no queue');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select results_eq(
  $$select count(*) from notify.dashboard_queues
     where queue_name in ('notification_dispatch', 'notification_dispatch_urgent', 'notification_cancellation', 'rule_events')
        or enterprise_id in (tests.enterprise_a(), tests.enterprise_b())$$,
  $$values (6::bigint)$$,
  'service_role sees every queue: the shared ones and both enterprises'' lanes'
);
select tests.clear_authentication();

select tests.authenticate_as_anon();
select throws_ok($$select from notify.dashboard_queues$$, '42501', null, 'anon reads no queue state');

select * from finish();
rollback;
