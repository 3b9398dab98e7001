begin;
select plan(2);

select tests.capture_dispatcher_kicks('http://127.0.0.1:9/kick-test');
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients)
select 'kick ' || i, tests.enterprise_a(), 'PUBLISH', '{}', '{}' from generate_series(1, 3) as i;
select is(
  (select count(*)::int from net.http_request_queue where url = 'http://127.0.0.1:9/kick-test/dispatcher-express'),
  1,
  'one kick of dispatcher-express for a statement that enqueued three'
);
select is(
  (select headers ->> 'Authorization' from net.http_request_queue where url = 'http://127.0.0.1:9/kick-test/dispatcher-express'),
  'Bearer test-kick-secret',
  'the express kick carries the kick secret too'
);

select * from finish();
rollback;
