begin;
select plan(4);

select tests.create_notification_in_status(tests.enterprise_a(), 'moving', 'FAILED');
select notify_internal.retry_failed(array_agg(id)) from notify.ent_notification where name = 'moving';
select is((select notification_status::text from notify.ent_notification where name = 'moving'), 'PENDING', 'the notification is PENDING');
select results_eq($$select from_status::text, to_status::text from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'moving' order by h.id desc limit 1$$, $$values ('FAILED', 'PENDING')$$, 'a history row records FAILED -> PENDING');
select is((select processed_at from notify.ent_notification where name = 'moving'), null, 'processed_at is cleared');
select is((select reason from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'moving' and h.from_status = 'FAILED'), 'manual retry', 'the history reason is manual retry');

select * from finish();
rollback;
