begin;
select plan(5);

select tests.capture_dispatcher_kicks('http://127.0.0.1:9/kick-test');
select tests.lease_drain('dispatcher');
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients)
values ('leased kick', tests.enterprise_a(), 'PUBLISH', '{}', '{}');
select is(tests.captured_kicks('dispatcher'), 0,
  'no dispatcher kick while a dispatcher drain holds its lease (it reads after the commit)');
select is(tests.captured_kicks('dispatcher-express'), 1,
  'dispatcher-express, whose drain holds no lease, is kicked');

select tests.lease_drain('dispatcher-express');
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients)
values ('both leased', tests.enterprise_a(), 'PUBLISH', '{}', '{}');
select is(tests.captured_kicks('dispatcher-express'), 1,
  'no express kick either once its drain holds a lease of its own');

select notify_internal.stop_drain('dispatcher');
select notify_internal.stop_drain('dispatcher-express');
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients)
values ('after the stops', tests.enterprise_a(), 'PUBLISH', '{}', '{}');
select is(tests.captured_kicks('dispatcher'), 1, 'once its drain stopped, an enqueue kicks the dispatcher');
select is(tests.captured_kicks('dispatcher-express'), 2, 'and dispatcher-express');

select * from finish();
rollback;
