begin;
select plan(1);

select tests.authenticate_as(array[tests.enterprise_a()]);
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients) values ('by member', tests.enterprise_a(), 'PUBLISH', '{}', '{}');
select tests.clear_authentication();
select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'by member')), 1::bigint, 'one message for a member''s insert');

select * from finish();
rollback;
