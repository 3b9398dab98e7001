begin;
select plan(5);

-- Stand in for pg_net only where neither pg_net nor the local stand-in exists.
do $$
begin
  if to_regnamespace('net') is null then
    create schema net;
    create table net.http_request_queue (id bigserial primary key, method text, url text, headers jsonb, body bytea, timeout_milliseconds int);
    create function net.http_post(url text, body jsonb default '{}', params jsonb default '{}', headers jsonb default '{}', timeout_milliseconds int default 5000) returns bigint
    language sql as $f$ insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds) values ('POST', url, headers, convert_to(body::text, 'utf8'), timeout_milliseconds) returning id $f$;
  end if;
end
$$;
delete from notify_internal.local_setting where name in ('functions_url', 'service_role_key');
insert into notify_internal.local_setting (name, value) values ('functions_url', 'http://127.0.0.1:9/kick-test'), ('service_role_key', 'test-key');
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients) select 'kick ' || i, tests.enterprise_a(), 'PUBLISH', '{}', '{}' from generate_series(1, 3) as i;
select is((select count(*)::int from net.http_request_queue where url = 'http://127.0.0.1:9/kick-test/dispatcher'), 1, 'one kick for a statement that enqueued three');
select is((select headers ->> 'Authorization' from net.http_request_queue where url = 'http://127.0.0.1:9/kick-test/dispatcher'), 'Bearer test-key', 'the kick carries the service role key');
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients) values ('kick draft', tests.enterprise_a(), 'DRAFT', '{}', '{}');
select is((select count(*)::int from net.http_request_queue where url = 'http://127.0.0.1:9/kick-test/dispatcher'), 1, 'no kick when nothing was enqueued');
delete from notify_internal.local_setting where name = 'functions_url';
select lives_ok($$insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients) values ('kick unset', tests.enterprise_a(), 'PUBLISH', '{}', '{}')$$, 'without functions_url the insert still enqueues');
select is((select count(*)::int from net.http_request_queue where url like 'http://127.0.0.1:9/kick-test%'), 1, 'and does not kick');

select * from finish();
rollback;
