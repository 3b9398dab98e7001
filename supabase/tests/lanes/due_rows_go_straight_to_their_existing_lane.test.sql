begin;
select plan(4);

select notify_internal.ensure_dispatch_lane(notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_a()), 2::smallint, tests.enterprise_a());
-- Enterprise B has no lane yet (its first rows are the router's to place).
delete from notify_internal.dispatch_lane where enterprise_id = tests.enterprise_b();
select tests.create_notification(tests.enterprise_a(), 'a due', 'PUBLISH');
select tests.create_notification(tests.enterprise_a(), 'a later', 'PUBLISH', now() + interval '1 hour');
select tests.create_notification(tests.enterprise_b(), 'b due', 'PUBLISH');

select is(
  tests.dispatch_message_count((select id from notify.ent_notification where name = 'a due')),
  0::bigint, 'a single due row of an enterprise whose lane exists skips the intake'
);
select results_eq(
  $$select m.message from pgmq.read(queue_name => notify_internal.dispatch_lane_name(2::smallint, tests.enterprise_a()), vt => 0, qty => 1000) m
    where m.message ->> 'notification_id' = (select id::text from notify.ent_notification where name = 'a due')$$,
  $$select jsonb_build_object('notification_id', id, 'enterprise_id', enterprise_id) from notify.ent_notification where name = 'a due'$$,
  'it is in its enterprise''s lane, one message naming the enterprise'
);
select is(
  tests.dispatch_message_count((select id from notify.ent_notification where name = 'a later')),
  1::bigint, 'a scheduled row waits in the intake until due, though its lane exists'
);
select is(
  tests.dispatch_message_count((select id from notify.ent_notification where name = 'b due')),
  1::bigint, 'a due row whose lane does not exist yet goes through the intake'
);

select * from finish();
rollback;
