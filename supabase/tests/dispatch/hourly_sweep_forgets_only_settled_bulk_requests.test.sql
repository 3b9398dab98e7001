begin;
select plan(3);

select tests.create_notification_in_status(tests.enterprise_a(), 'sent', 'SENT');
select tests.create_notification_in_status(tests.enterprise_a(), 'still sending', 'PROCESSING');

select notify_internal.record_novu_bulk_request('xnovu-bulk-settled',
  array[(select id from notify.ent_notification where name = 'sent')], '[]'::json);
select notify_internal.record_novu_bulk_request('xnovu-bulk-open',
  array[(select id from notify.ent_notification where name = 'sent'),
        (select id from notify.ent_notification where name = 'still sending')], '[]'::json);

select notify_internal.forget_settled_novu_bulk_requests();
select results_eq(
  $$select idempotency_key from notify_internal.novu_bulk_request
     where idempotency_key like 'xnovu-bulk-%' order by 1$$,
  $$values ('xnovu-bulk-open')$$,
  'the request whose notifications are all settled is forgotten, the other kept');
select results_eq(
  $$select schedule, command from cron.job where jobname = 'xnovu-bulk-request-sweep'$$,
  $$values ('41 * * * *'::text, 'select notify_internal.forget_settled_novu_bulk_requests()'::text)$$,
  'pg_cron runs the sweep every hour');
select function_privs_are('notify_internal', 'forget_settled_novu_bulk_requests', array[]::text[],
  'authenticated', array[]::text[], 'members cannot run the sweep');

select * from finish();
rollback;
