begin;
select plan(7);

select tests.create_notification_in_status(tests.enterprise_a(), 'failed', 'FAILED');
select tests.authenticate_as(array[tests.enterprise_a()]);
select lives_ok($$select notify.cancel_notification(id, 'resident moved out') from notify.ent_notification where name = 'failed'$$, 'a member cancels a FAILED notification');
select tests.clear_authentication();
select is((select notification_status::text from notify.ent_notification where name = 'failed'), 'RETRACTED', 'it is RETRACTED');
select ok((select retracted_at is not null and retraction_reason = 'resident moved out' from notify.ent_notification where name = 'failed'), 'retracted_at and retraction_reason are filled');
select is(
  (select array[from_status::text, to_status::text, reason] from notify.notification_status_history where notification_id = (select id from notify.ent_notification where name = 'failed') order by id desc limit 1),
  array['FAILED', 'RETRACTED', 'resident moved out'],
  'the history records FAILED -> RETRACTED with the reason'
);
select is(tests.cancellation_message_count((select id from notify.ent_notification where name = 'failed')), 1::bigint, 'a notification_cancellation message withdraws whatever part reached Novu');
select throws_ok(format($$select notify_internal.retry_failed(array[%s]::bigint[])$$, (select id from notify.ent_notification where name = 'failed')), '23514', 'illegal notification status transition from RETRACTED to PENDING', 'a manual retry can no longer send it');
select is((select count(*) from notify_internal.claim_notifications(array(select id from notify.ent_notification where name = 'failed'))), 0::bigint, 'the dispatcher can no longer claim it');

select * from finish();
rollback;
