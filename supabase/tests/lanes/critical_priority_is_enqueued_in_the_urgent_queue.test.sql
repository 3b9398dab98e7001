begin;
select plan(3);

insert into notify.typ_notification_priority (name, code, sort_order, enterprise_id, publish_status)
values ('test critical', 'test-critical-a', 40, tests.enterprise_a(), 'PUBLISH');
insert into notify.ent_notification (name, enterprise_id, publish_status, notification_priority_id, payload, recipients)
values ('fire', tests.enterprise_a(), 'PUBLISH', (select id from notify.typ_notification_priority where code = 'test-critical-a'), '{}', '{d0000000-0000-4000-8000-00000000000d}');

select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'fire')), 0::bigint, 'a critical notification skips the intake');
select is(
  (select count(*)::int from pgmq.q_notification_dispatch_urgent q where q.message ->> 'notification_id' = (select id::text from notify.ent_notification where name = 'fire')),
  1, 'it has one message in the urgent queue'
);
select results_eq(
  $$select notify_internal.priority_band(s) from unnest(array[10, 19, 20, 29, null, 30, 39, 40, 99]) as s$$,
  $$values (3::smallint), (3::smallint), (2::smallint), (2::smallint), (2::smallint), (1::smallint), (1::smallint), (0::smallint), (0::smallint)$$,
  'bands by sort_order: low < 20 <= normal (or none) < 30 <= high < 40 <= critical'
);

select * from finish();
rollback;
