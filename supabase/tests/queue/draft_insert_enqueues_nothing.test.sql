begin;
select plan(1);

select tests.create_notification(tests.enterprise_a(), 'draft', 'DRAFT');
select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'draft')), 0::bigint, 'no message');

select * from finish();
rollback;
