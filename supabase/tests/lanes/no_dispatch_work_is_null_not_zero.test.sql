begin;
select plan(3);

-- Empty every dispatch queue inside this transaction (rolled back at the end).
do $$
declare
  v_lane text;
begin
  delete from pgmq.q_notification_dispatch;
  for v_lane in select queue_name from notify_internal.dispatch_lane loop
    execute format('delete from pgmq.%I', 'q_' || v_lane);
  end loop;
end
$$;

select is(
  notify_internal.seconds_until_next_dispatch_message(), null,
  'no message in the intake or any lane: null (nothing to kick for), not 0 (kick at once)'
);

select pgmq.send(queue_name => 'notification_dispatch', msg => '{"notification_id": -1}', delay => 30);
select ok(
  notify_internal.seconds_until_next_dispatch_message() between 29 and 30,
  'a message hidden for 30 s: about 30 seconds'
);

select pgmq.send(queue_name => 'notification_dispatch', msg => '{"notification_id": -2}');
select is(notify_internal.seconds_until_next_dispatch_message(), 0::double precision, 'a visible intake message: 0');

select * from finish();
rollback;
