begin;
select plan(4);

-- pgmq delays are whole seconds: rounded down, a scheduled message surfaces at
-- or up to a second before its instant, never after it (the dispatcher holds
-- one that surfaced early until the instant).
select is(
  notify_internal.message_delay_seconds(pg_catalog.clock_timestamp() + interval '2.7 seconds'), 2,
  'the delay is the whole seconds until the instant, rounded down'
);
select is(
  notify_internal.message_delay_seconds(pg_catalog.clock_timestamp() - interval '5 seconds'), 0,
  'an instant already past: no delay'
);

select tests.create_notification(tests.enterprise_a(), 'soon', 'PUBLISH', pg_catalog.clock_timestamp() + interval '10.7 seconds');
select ok(
  (select q.vt <= n.scheduled_for and q.vt > n.scheduled_for - interval '1 second'
     from pgmq.q_notification_dispatch q
     join notify.ent_notification n on q.message ->> 'notification_id' = n.id::text
    where n.name = 'soon'),
  'the message surfaces within the second before scheduled_for, not after it'
);

-- The claim tells the dispatcher exactly how long to hold it.
select tests.create_notification(tests.enterprise_a(), 'in half a second', 'PUBLISH', now() + interval '0.5 seconds');
select ok(
  (select c.seconds_until_due > 0.4 and c.seconds_until_due < 0.6
     from notify_internal.claim_dispatch_batch(array[(select id from notify.ent_notification where name = 'in half a second')]) c),
  'a row due in half a second is not claimed and is reported due in about 0.5 s, not rounded to 1'
);

select * from finish();
rollback;
