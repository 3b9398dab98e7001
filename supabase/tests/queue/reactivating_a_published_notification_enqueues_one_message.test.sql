begin;
select plan(1);

insert into notify.ent_notification (name, enterprise_id, publish_status, deactivated, payload, recipients) values ('off', tests.enterprise_a(), 'PUBLISH', true, '{}', '{}');
update notify.ent_notification set deactivated = false where name = 'off';
select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'off')), 1::bigint, 'one message');

select * from finish();
rollback;
