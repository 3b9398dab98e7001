begin;
select plan(3);

select tests.create_notification_in_status(tests.enterprise_a(), 'moving', 'PENDING');
select is((select count(*)::int from notify_internal.claim_notifications(array(select id from notify.ent_notification where name = 'moving'))), 1, 'the claim returns the notification');
select is((select notification_status::text from notify.ent_notification where name = 'moving'), 'PROCESSING', 'the notification is PROCESSING');
select results_eq($$select from_status::text, to_status::text from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'moving' order by h.id desc limit 1$$, $$values ('PENDING', 'PROCESSING')$$, 'a history row records PENDING -> PROCESSING');

select * from finish();
rollback;
