begin;
select plan(1);

select tests.create_notification(tests.enterprise_a(), 'draft', 'DRAFT');
update notify.ent_notification set publish_status = 'PUBLISH' where name = 'draft';
update notify.ent_notification set publish_status = 'PUBLISH', description = 'edited' where name = 'draft';
select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'draft')), 1::bigint, 'still one message');

select * from finish();
rollback;
