begin;
select plan(4);

select tests.create_notification_in_status(tests.enterprise_a(), 'pending', 'PENDING');
select tests.authenticate_as(array[tests.enterprise_a()]);
select is((select (notify.cancel_notification(id, 'not needed')).notification_status::text from notify.ent_notification where name = 'pending'), 'RETRACTED', 'the RPC returns the retracted row');
select tests.clear_authentication();
select results_eq($$select notification_status::text, retraction_reason, retracted_at is not null from notify.ent_notification where name = 'pending'$$, $$values ('RETRACTED', 'not needed', true)$$, 'status, reason and retracted_at are recorded');
select is(tests.cancellation_message_count((select id from notify.ent_notification where name = 'pending')), 0::bigint, 'nothing was sent, so nothing to cancel in Novu');
select results_eq($$select from_status::text, to_status::text, reason, changed_by_role from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'pending'$$, $$values ('PENDING', 'RETRACTED', 'not needed', 'authenticated')$$, 'the history records the member''s cancellation');

select * from finish();
rollback;
