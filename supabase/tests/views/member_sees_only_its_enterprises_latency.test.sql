begin;
select plan(3);

select tests.create_notification_in_status(tests.enterprise_a(), 'a ' || i, 'SENT') from generate_series(1, 4) i;
select tests.create_notification_in_status(tests.enterprise_b(), 'b sent', 'SENT');
-- Latencies of A's four: 1, 2, 3 and 10 seconds.
update notify.ent_notification n set created_at = n.processed_at - make_interval(secs => v.s)
from (values ('a 1', 1), ('a 2', 2), ('a 3', 3), ('a 4', 10)) v (name, s) where n.name = v.name;

select tests.authenticate_as(array[tests.enterprise_a()]);
-- percentile_cont interpolates: p50 of (1, 2, 3, 10) s is 2.5 s; p95 is 3 + 0.85 * 7 = 8.95 s.
select results_eq(
  $$select sent, p50_ms, p95_ms from notify.dashboard_latency$$,
  $$values (4::bigint, 2500::numeric, 8950::numeric)$$,
  'a member sees its enterprise''s latency percentiles only'
);
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select results_eq(
  $$select enterprise_id, sent from notify.dashboard_latency where enterprise_id in (tests.enterprise_a(), tests.enterprise_b()) order by 1$$,
  $$values (tests.enterprise_a(), 4::bigint), (tests.enterprise_b(), 1::bigint)$$,
  'service_role sees every enterprise'
);
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_b()]);
select results_eq($$select sent from notify.dashboard_latency$$, $$values (1::bigint)$$, 'the other member sees its one notification');

select * from finish();
rollback;
