begin;
select plan(2);

select tests.create_notification_in_status(tests.enterprise_a(), 'waiting', 'PROCESSING');
select notify_internal.record_novu_bulk_request('xnovu-bulk-refused',
  array[(select id from notify.ent_notification where name = 'waiting')], '[]'::json);
select notify_internal.record_novu_bulk_request('xnovu-bulk-other',
  array[(select id from notify.ent_notification where name = 'waiting')], '[]'::json);

select notify_internal.forget_novu_bulk_request('xnovu-bulk-refused');
select results_eq(
  $$select idempotency_key from notify_internal.novu_bulk_request
     where idempotency_key like 'xnovu-bulk-%'$$,
  $$values ('xnovu-bulk-other')$$,
  'the refused request goes though its notification is still PROCESSING; the other stays');
select function_privs_are('notify_internal', 'forget_novu_bulk_request', array['text'],
  'authenticated', array[]::text[], 'members cannot forget a bulk request');

select * from finish();
rollback;
