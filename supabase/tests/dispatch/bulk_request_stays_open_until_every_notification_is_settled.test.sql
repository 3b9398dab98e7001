begin;
select plan(7);

select tests.create_notification_in_status(tests.enterprise_a(), 'first', 'PROCESSING');
select tests.create_notification_in_status(tests.enterprise_a(), 'second', 'PROCESSING');
select tests.create_notification_in_status(tests.enterprise_a(), 'elsewhere', 'PROCESSING');

-- Keys and bodies as the dispatcher writes them; the body keeps its key order.
select notify_internal.record_novu_bulk_request(
  'xnovu-bulk-one',
  array[(select id from notify.ent_notification where name = 'first'),
        (select id from notify.ent_notification where name = 'second')],
  '[{"workflowId":"w","to":["a"],"payload":{"z":1,"a":2},"transactionId":"t1"},{"workflowId":"w","to":["b"],"payload":{},"transactionId":"t2"}]'::json);

select results_eq(
  $$select idempotency_key, triggers::text
      from notify_internal.open_novu_bulk_requests(
        array[(select id from notify.ent_notification where name = 'second'),
              (select id from notify.ent_notification where name = 'elsewhere')])$$,
  $$values ('xnovu-bulk-one', '[{"workflowId":"w","to":["a"],"payload":{"z":1,"a":2},"transactionId":"t1"},{"workflowId":"w","to":["b"],"payload":{},"transactionId":"t2"}]')$$,
  'a request carrying any of the notifications is found, its body exactly as recorded');
select is_empty(
  $$select 1 from notify_internal.open_novu_bulk_requests(
      array[(select id from notify.ent_notification where name = 'elsewhere')])$$,
  'a notification in no request finds none');

select notify_internal.mark_sent_batch(
  array[(select id from notify.ent_notification where name = 'first')], array['xnovu-first']);
select notify_internal.close_novu_bulk_requests(array['xnovu-bulk-one']);
select isnt_empty(
  $$select 1 from notify_internal.novu_bulk_request where idempotency_key = 'xnovu-bulk-one'$$,
  'a request with a notification still PROCESSING stays, to be resent whole');

select notify_internal.release_for_retry(
  (select id from notify.ent_notification where name = 'second'),
  '{"kind":"novu_timeout","message":"lost","attempts":1,"upstream_status":504,"upstream_body":null}'::jsonb);
select notify_internal.close_novu_bulk_requests(array['xnovu-bulk-one']);
select isnt_empty(
  $$select 1 from notify_internal.novu_bulk_request where idempotency_key = 'xnovu-bulk-one'$$,
  'a request with a notification PENDING for a retry stays');

select notify.cancel_notification((select id from notify.ent_notification where name = 'second'), 'no longer needed');
select notify_internal.close_novu_bulk_requests(array['xnovu-bulk-one']);
select is_empty(
  $$select 1 from notify_internal.novu_bulk_request where idempotency_key = 'xnovu-bulk-one'$$,
  'once every notification is settled the request is forgotten');

select throws_ok(
  $$select notify_internal.record_novu_bulk_request('xnovu-bulk-empty', array[]::bigint[], '[]'::json)$$,
  '23514', null, 'a request naming no notification is refused');
select throws_ok(
  $$select notify_internal.record_novu_bulk_request(repeat('k', 256), array[1]::bigint[], '[]'::json)$$,
  '23514', null, 'a key longer than Novu''s 255 characters is refused');

select * from finish();
rollback;
