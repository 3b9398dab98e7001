begin;
select plan(3);

select tests.create_notification_in_status(tests.enterprise_a(), 'cancel me', 'PROCESSING');
select tests.authenticate_as(array[tests.enterprise_a()]);
select lives_ok($$select notify.cancel_notification(id, 'wrong building') from notify.ent_notification where name = 'cancel me'$$, 'a member cancels a PROCESSING notification');
select tests.clear_authentication();
select is((select notification_status::text from notify.ent_notification where name = 'cancel me'), 'RETRACTED', 'it is RETRACTED');
select is(tests.cancellation_message_count((select id from notify.ent_notification where name = 'cancel me')), 1::bigint, 'one notification_cancellation message asks to cancel the Novu events');

select * from finish();
rollback;
