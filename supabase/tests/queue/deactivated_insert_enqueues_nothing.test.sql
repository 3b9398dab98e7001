begin;
select plan(1);

insert into notify.ent_notification (name, enterprise_id, publish_status, deactivated, payload, recipients) values ('off', tests.enterprise_a(), 'PUBLISH', true, '{}', '{}');
select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'off')), 0::bigint, 'no message');

select * from finish();
rollback;
