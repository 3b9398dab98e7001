begin;
select plan(4);

select tests.create_notification(tests.enterprise_a(), 'retried then sent', 'PUBLISH');
select tests.create_notification(tests.enterprise_a(), 'retried then sent in a batch', 'PUBLISH');
select notify_internal.claim_notifications(array(select id from notify.ent_notification where name like 'retried then sent%'));
select notify_internal.release_for_retry(id, '{"kind": "upstream_5xx", "attempts": 1, "upstream_status": 503}')
  from notify.ent_notification where name like 'retried then sent%';
select notify_internal.claim_notifications(array(select id from notify.ent_notification where name like 'retried then sent%'));
select notify_internal.mark_sent(id, 'xnovu-' || id) from notify.ent_notification where name = 'retried then sent';
select notify_internal.mark_sent_batch(array[id], array['xnovu-' || id]) from notify.ent_notification where name = 'retried then sent in a batch';

select is((select error_details from notify.ent_notification where name = 'retried then sent'), null, 'mark_sent leaves no error_details on the SENT row');
select is((select error_details from notify.ent_notification where name = 'retried then sent in a batch'), null, 'mark_sent_batch leaves no error_details on the SENT row');
select is(
  (select h.details -> 'error_details' ->> 'upstream_status' from notify.notification_status_history h
     join notify.ent_notification n on n.id = h.notification_id
    where n.name = 'retried then sent' and h.from_status = 'PROCESSING' and h.to_status = 'PENDING'),
  '503',
  'the failed attempt stays in the status history'
);
select is((select notification_status::text from notify.ent_notification where name = 'retried then sent'), 'SENT', 'the row is SENT');

select * from finish();
rollback;
