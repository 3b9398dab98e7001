begin;
select plan(2);

select tests.create_notification_in_status(tests.enterprise_a(), 'pending', 'PENDING');
select notify.cancel_notification(id) from notify.ent_notification where name = 'pending';
select is(tests.dispatch_message_count((select id from notify.ent_notification where name = 'pending')), 1::bigint, 'its queue message is still there');
select is_empty($$select * from notify_internal.claim_notifications(array(select id from notify.ent_notification where name = 'pending'))$$, 'but the claim refuses it');

select * from finish();
rollback;
