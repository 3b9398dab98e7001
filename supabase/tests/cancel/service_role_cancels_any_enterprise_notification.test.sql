begin;
select plan(3);

select tests.create_notification_in_status(tests.enterprise_b(), 'theirs', 'SENT');
select tests.authenticate_as_service_role();
select lives_ok(format($$select notify.cancel_notification(%s, 'ops')$$, (select id from notify.ent_notification where name = 'theirs')), 'service_role cancels without an enterprise claim');
select tests.clear_authentication();
select is((select notification_status::text from notify.ent_notification where name = 'theirs'), 'RETRACTED', 'it is RETRACTED');
select is(tests.cancellation_message_count((select id from notify.ent_notification where name = 'theirs')), 1::bigint, 'and its Novu cancellation is queued');

select * from finish();
rollback;
