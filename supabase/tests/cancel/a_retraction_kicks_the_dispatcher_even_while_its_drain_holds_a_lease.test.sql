begin;
select plan(2);

-- The drain lease covers the dispatch queues only: the cancellation queue is read by a drain a
-- kick starts, so a retraction must kick whatever drain is running.
select tests.create_notification_in_status(tests.enterprise_a(), 'cancel while leased', 'SENT');
select tests.capture_dispatcher_kicks('http://127.0.0.1:9/kick-test');
select tests.lease_drain('dispatcher');
select tests.lease_drain('dispatcher-express');
select notify.cancel_notification(id, 'leased') from notify.ent_notification where name = 'cancel while leased';
select is(
  tests.captured_kicks('dispatcher'),
  1,
  'the retraction kicks the dispatcher although its drain holds a lease'
);
select is(
  tests.cancellation_message_count((select id from notify.ent_notification where name = 'cancel while leased')),
  1::bigint,
  'and queued the Novu cancellation that kick is for'
);

select * from finish();
rollback;
