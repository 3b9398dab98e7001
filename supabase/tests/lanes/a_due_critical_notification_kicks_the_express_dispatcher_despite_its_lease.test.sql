begin;
select plan(3);

select tests.capture_dispatcher_kicks('http://127.0.0.1:9/kick-test');
select tests.lease_drain('dispatcher');
select tests.lease_drain('dispatcher-express');
insert into notify.typ_notification_priority (name, code, sort_order, enterprise_id, publish_status)
values ('test critical', 'test-critical-kick', 40, tests.enterprise_a(), 'PUBLISH');

insert into notify.ent_notification (name, enterprise_id, publish_status, notification_priority_id, payload, recipients)
values ('fire now', tests.enterprise_a(), 'PUBLISH', (select id from notify.typ_notification_priority where code = 'test-critical-kick'), '{}', '{d0000000-0000-4000-8000-00000000000d}');
select is(tests.captured_kicks('dispatcher-express'), 1,
  'a critical notification due now kicks dispatcher-express although its drain holds a lease');
select is(tests.captured_kicks('dispatcher'), 0, 'the dispatcher, whose drain reads after the commit, is spared');

insert into notify.ent_notification (name, enterprise_id, publish_status, notification_priority_id, payload, recipients, scheduled_for)
values ('fire later', tests.enterprise_a(), 'PUBLISH', (select id from notify.typ_notification_priority where code = 'test-critical-kick'), '{}', '{d0000000-0000-4000-8000-00000000000d}', now() + interval '1 hour');
select is(tests.captured_kicks('dispatcher-express'), 1, 'a critical notification scheduled later does not');

select * from finish();
rollback;
