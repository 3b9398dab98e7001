begin;
select plan(4);

select tests.create_notification_in_status(tests.enterprise_a(), 'moving', 'PROCESSING');
select notify_internal.mark_failed(id, '{"error": "bad payload", "attempts": 1}') from notify.ent_notification where name = 'moving';
select is((select notification_status::text from notify.ent_notification where name = 'moving'), 'FAILED', 'the notification is FAILED');
select results_eq($$select from_status::text, to_status::text from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'moving' order by h.id desc limit 1$$, $$values ('PROCESSING', 'FAILED')$$, 'a history row records PROCESSING -> FAILED');
select is((select error_details from notify.ent_notification where name = 'moving'), '{"error": "bad payload", "attempts": 1}'::jsonb, 'error_details are recorded');
select isnt((select processed_at from notify.ent_notification where name = 'moving'), null, 'processed_at is set');

select * from finish();
rollback;
