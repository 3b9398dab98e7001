begin;
select plan(5);

select tests.create_notification_in_status(tests.enterprise_a(), 'moving', 'PROCESSING');
select tests.authenticate_as_service_role();
update notify.ent_notification set notification_status = 'RETRACTED', retraction_reason = 'operator cancelled' where name = 'moving';
select tests.clear_authentication();
select is((select notification_status::text from notify.ent_notification where name = 'moving'), 'RETRACTED', 'the notification is RETRACTED');
select results_eq($$select from_status::text, to_status::text from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'moving' order by h.id desc limit 1$$, $$values ('PROCESSING', 'RETRACTED')$$, 'a history row records PROCESSING -> RETRACTED');
select isnt((select retracted_at from notify.ent_notification where name = 'moving'), null, 'retracted_at is set');
select is((select reason from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'moving' and h.to_status = 'RETRACTED'), 'operator cancelled', 'the history reason is the retraction reason');
select is((select changed_by_role from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'moving' and h.to_status = 'RETRACTED'), 'service_role', 'the history names the role that made the change');

select * from finish();
rollback;
