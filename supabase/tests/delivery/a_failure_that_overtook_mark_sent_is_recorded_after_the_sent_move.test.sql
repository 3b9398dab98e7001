begin;
select plan(1);

select tests.create_notification_in_status(tests.enterprise_a(), 'processing', 'PROCESSING');
select notify_internal.record_delivery_event(
  'msg_early', 'evt_early_failed', 'message.failed', n.id, format('xnovu-%s-0', n.id),
  'd0000000-0000-4000-8000-00000000000d', 'sms', 'sms-step', 'm-early', 'before mark_sent', '{}', now()
) from notify.ent_notification n where n.name = 'processing';
-- mark_sent's statement moves the row to SENT; a trigger of that statement then
-- moves it on to FAILED in a statement of its own.
select notify_internal.mark_sent(id, format('xnovu-%s-0', id)) from notify.ent_notification where name = 'processing';

select results_eq(
  $$select h.from_status::text, h.to_status::text
      from notify.notification_status_history h
      join notify.ent_notification n on n.id = h.notification_id
     where n.name = 'processing' and h.from_status <> 'PENDING'
     order by h.id$$,
  $$values ('PROCESSING', 'SENT'), ('SENT', 'FAILED')$$,
  'the history reads PROCESSING -> SENT, then SENT -> FAILED');

select * from finish();
rollback;
