begin;
select plan(5);

select tests.create_notification_in_status(tests.enterprise_a(), 'moving', 'PROCESSING');
select notify_internal.mark_sent(id, 'xnovu-tx') from notify.ent_notification where name = 'moving';
select is((select notification_status::text from notify.ent_notification where name = 'moving'), 'SENT', 'the notification is SENT');
select results_eq($$select from_status::text, to_status::text from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'moving' order by h.id desc limit 1$$, $$values ('PROCESSING', 'SENT')$$, 'a history row records PROCESSING -> SENT');
select is((select transaction_id from notify.ent_notification where name = 'moving'), 'xnovu-tx', 'transaction_id is recorded');
select isnt((select processed_at from notify.ent_notification where name = 'moving'), null, 'processed_at is set');
select is((select details ->> 'transaction_id' from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'moving' and h.to_status = 'SENT'), 'xnovu-tx', 'the history details name the transaction id');

select * from finish();
rollback;
