begin;
select plan(3);

select notify_internal.ensure_dispatch_lane(notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_a()), 2::smallint, tests.enterprise_a());
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients)
select 'flood ' || i, tests.enterprise_a(), 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}' from generate_series(1, 1001) as i;
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients)
select 'small ' || i, tests.enterprise_a(), 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}' from generate_series(1, 1000) as i;

select is(
  (select count(*)::int from pgmq.q_notification_dispatch q join notify.ent_notification n on n.id = (q.message ->> 'notification_id')::bigint where n.name like 'flood %'),
  0, 'a statement enqueueing more than 1,000 due rows of one enterprise skips the intake'
);
select is(
  (select count(*)::int from pgmq.read(queue_name => notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_a()), vt => 0, qty => 5000) m
    join notify.ent_notification n on n.id = (m.message ->> 'notification_id')::bigint where n.name like 'flood %'),
  1001, 'its rows are in the enterprise''s lane, one message each'
);
select is(
  (select count(*)::int from pgmq.q_notification_dispatch q join notify.ent_notification n on n.id = (q.message ->> 'notification_id')::bigint where n.name like 'small %'),
  1000, 'a statement of up to 1,000 rows goes through the intake'
);

select * from finish();
rollback;
