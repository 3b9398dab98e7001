begin;
select plan(4);

select tests.create_notification_in_status(tests.enterprise_a(), 'sending', 'PROCESSING');
select tests.create_notification_in_status(tests.enterprise_a(), 'cancelled', 'PROCESSING');
select notify.cancel_notification((select id from notify.ent_notification where name = 'cancelled'), 'changed my mind');

select results_eq(
  $$select n.name, r.notification_status::text
      from notify_internal.mark_sent_batch(
        array[(select id from notify.ent_notification where name = 'sending'),
              (select id from notify.ent_notification where name = 'cancelled')],
        array['xnovu-sending', 'xnovu-cancelled']) r
      join notify.ent_notification n on n.id = r.id
     order by n.name$$,
  $$values ('cancelled', 'RETRACTED'), ('sending', 'SENT')$$,
  'every id is reported with its status after the batch');
select results_eq(
  $$select transaction_id from notify.ent_notification where name = 'sending'$$,
  $$values ('xnovu-sending')$$,
  'the sent row records its transaction id');
select results_eq(
  $$select h.from_status::text, h.to_status::text from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = 'sending' order by h.id$$,
  $$values ('PENDING', 'PROCESSING'), ('PROCESSING', 'SENT')$$,
  'the move goes through the status machine and is recorded');
select is((select transaction_id from notify.ent_notification where name = 'cancelled'), null, 'the retracted row is left as the cancel made it');

select * from finish();
rollback;
