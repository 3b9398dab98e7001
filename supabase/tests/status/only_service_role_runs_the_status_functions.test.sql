begin;
select plan(3);

select tests.create_notification_in_status(tests.enterprise_a(), 'processing', 'PROCESSING');
select tests.authenticate_as(array[tests.enterprise_a()]);
select throws_ok($$select notify_internal.mark_sent(1, 'x')$$, '42501', 'permission denied for function mark_sent', 'a member cannot mark sent');
select throws_ok($$select * from notify_internal.claim_notifications(array[1::bigint])$$, '42501', 'permission denied for function claim_notifications', 'a member cannot claim');
select tests.clear_authentication();
select tests.authenticate_as_service_role();
select lives_ok($$select notify_internal.mark_failed(id, '{}') from notify.ent_notification where name = 'processing'$$, 'service_role moves status');
select tests.clear_authentication();

select * from finish();
rollback;
