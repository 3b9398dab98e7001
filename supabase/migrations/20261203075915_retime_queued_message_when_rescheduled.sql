-- A waiting notification whose scheduled_for changes is sent at the new time,
-- once. Its dispatch message was sent delayed until the old scheduled_for, so
-- moving the time earlier left it hidden until the old time, and moving it
-- later let it surface early (the claim then only put it back). This statement
-- trigger moves the existing message to the new time instead (pgmq.set_vt;
-- no second message, so no second claim), sends one if the row has none, and
-- kicks the dispatcher so it re-arms its wake-up for the new earliest message.
--
-- Rows that become sendable in the same statement get their message from
-- enqueue_sendable_notifications with the new time already; rows being sent
-- (PROCESSING) or finished are not affected by a reschedule.

create function notify_internal.retime_rescheduled_notifications() returns trigger
language plpgsql
-- Definer: moving and sending pgmq messages and kicking the dispatcher are not
-- privileges the updating role (authenticated, service_role) holds itself.
security definer
set search_path = ''
as $$
declare
  v_rescheduled jsonb;
  v_message record;
begin
  select jsonb_object_agg(n.id::text, greatest(0, ceil(extract(epoch from n.scheduled_for - pg_catalog.clock_timestamp())))::integer)
  into v_rescheduled
  from new_rows n
  join old_rows o on o.id = n.id
  where n.scheduled_for is distinct from o.scheduled_for
    and notify_internal.is_sendable(n.publish_status, n.deactivated, n.notification_status)
    and notify_internal.is_sendable(o.publish_status, o.deactivated, o.notification_status);

  if v_rescheduled is null then
    return null;
  end if;

  -- The queue table is read by column name (msg_id, message), as pgmq 1.4.4 has
  -- no call that finds a message by content. Rescheduling is rare, so a scan of
  -- the queue per rescheduling statement is acceptable.
  for v_message in
    select q.msg_id, (v_rescheduled ->> (q.message ->> 'notification_id'))::integer as delay_seconds
    from pgmq.q_notification_dispatch q
    where v_rescheduled ? (q.message ->> 'notification_id')
  loop
    perform pgmq.set_vt(queue_name => 'notification_dispatch', msg_id => v_message.msg_id, vt => v_message.delay_seconds);
  end loop;

  -- A waiting row without a message (none should exist) gets one now.
  for v_message in
    select r.key as notification_id, r.value::integer as delay_seconds
    from jsonb_each_text(v_rescheduled) as r
    where not exists (
      select from pgmq.q_notification_dispatch q where q.message ->> 'notification_id' = r.key
    )
  loop
    perform pgmq.send(
      queue_name => 'notification_dispatch',
      msg => jsonb_build_object('notification_id', v_message.notification_id::bigint),
      delay => v_message.delay_seconds
    );
  end loop;

  perform notify_internal.kick_dispatcher();
  return null;
end
$$;
comment on function notify_internal.retime_rescheduled_notifications() is 'Statement trigger: for each notification that was and still is waiting to be sent (PUBLISH, active, PENDING) and whose scheduled_for changed (earlier, later or to null), moves its notification_dispatch message to the new time (or sends one if it has none), then kicks the dispatcher once.';
revoke execute on function notify_internal.retime_rescheduled_notifications() from public;

create trigger retime_rescheduled_notifications
  after update on notify.ent_notification
  referencing old table as old_rows new table as new_rows
  for each statement
  execute function notify_internal.retime_rescheduled_notifications();
