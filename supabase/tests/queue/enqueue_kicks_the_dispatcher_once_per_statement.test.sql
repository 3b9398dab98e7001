begin;
select plan(5);

select tests.capture_dispatcher_kicks('http://127.0.0.1:9/kick-test');
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients) select 'kick ' || i, tests.enterprise_a(), 'PUBLISH', '{}', '{}' from generate_series(1, 3) as i;
select is((select count(*)::int from net.http_request_queue where url = 'http://127.0.0.1:9/kick-test/dispatcher'), 1, 'one kick for a statement that enqueued three');
select is((select headers ->> 'Authorization' from net.http_request_queue where url = 'http://127.0.0.1:9/kick-test/dispatcher'), 'Bearer test-kick-secret', 'the kick carries the kick secret');
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients) values ('kick draft', tests.enterprise_a(), 'DRAFT', '{}', '{}');
select is((select count(*)::int from net.http_request_queue where url = 'http://127.0.0.1:9/kick-test/dispatcher'), 1, 'no kick when nothing was enqueued');
delete from notify_internal.local_setting where name = 'functions_url';
select lives_ok($$insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients) values ('kick unset', tests.enterprise_a(), 'PUBLISH', '{}', '{}')$$, 'without functions_url the insert still enqueues');
select is((select count(*)::int from net.http_request_queue where url = 'http://127.0.0.1:9/kick-test/dispatcher'), 1, 'and does not kick');

select * from finish();
rollback;
