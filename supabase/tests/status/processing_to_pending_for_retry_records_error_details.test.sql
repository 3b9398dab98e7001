begin;
select plan(4);

select tests.create_notification_in_status(tests.enterprise_a(), 'moving', 'PROCESSING');
select notify_internal.release_for_retry(id, '{"error": "timeout", "attempts": 1}') from notify.ent_notification where name = 'moving';
select is((select notification_status::text from notify.ent_notification where name = 'moving'), 'PENDING', 'the notification is PENDING');
select results_eq($$select from_status::text, to_status::text from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'moving' order by h.id desc limit 1$$, $$values ('PROCESSING', 'PENDING')$$, 'a history row records PROCESSING -> PENDING');
select is((select error_details ->> 'error' from notify.ent_notification where name = 'moving'), 'timeout', 'error_details are recorded');
select is((select reason from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'moving' and h.to_status = 'PENDING'), 'retry', 'the history reason is retry');

select * from finish();
rollback;
