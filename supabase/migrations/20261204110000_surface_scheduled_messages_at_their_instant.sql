-- A scheduled notification reached Novu up to two seconds after its instant:
-- pgmq delays are whole seconds, and each step rounded up. The enqueue delayed
-- the message by ceil(scheduled_for - now()), then the dispatcher armed its
-- wake-up by ceil(seconds until the message surfaced). The rules bench saw
-- 1,000 CRON firings accepted 1.3 to 2.1 s after their minute (issue 8: within
-- 1 s of the instant).
--
-- Now the message surfaces at or up to a second before scheduled_for (whole
-- seconds rounded down, from the clock rather than the transaction start), the
-- dispatcher wakes when it surfaces (fractional seconds), and a batch holds a
-- notification that surfaced early until its instant and sends it then (shared/
-- dispatch/dispatch.ts). The claim reports the exact seconds until due for that.
-- One function says how long a message waits; the enqueue, the reschedule and
-- the dispatcher's wake-up use it or its counterpart.

create function notify_internal.message_delay_seconds(p_scheduled_for timestamptz) returns integer
language sql
volatile
security invoker
set search_path = ''
as $$
  select greatest(0, floor(extract(epoch from p_scheduled_for - pg_catalog.clock_timestamp())))::integer
$$;
comment on function notify_internal.message_delay_seconds(timestamptz) is 'Whole seconds a dispatch message is delayed so that it surfaces at or up to one second before p_scheduled_for (pgmq delays are whole seconds); the dispatcher holds one that surfaced early until the instant. 0 for null or past instants.';
revoke execute on function notify_internal.message_delay_seconds(timestamptz) from public;
grant execute on function notify_internal.message_delay_seconds(timestamptz) to service_role;

-- Redefines notify_internal.enqueue_sendable_notifications from
-- 20261204022000_enqueue_due_rows_into_existing_lanes.sql: the delay only.
create or replace function notify_internal.enqueue_sendable_notifications() returns trigger
language plpgsql
-- Definer: writing to pgmq and kicking the dispatcher are not privileges the
-- inserting role (authenticated, service_role) holds itself.
security definer
set search_path = ''
as $$
declare
  v_ids bigint[];
  v_batch record;
  -- dispatch_fair_lanes = off: everything through the intake, first in, first out.
  v_fair_lanes boolean := coalesce(notify_internal.setting('dispatch_fair_lanes'), 'on') <> 'off';
begin
  -- Two queries because old_rows exists only in the update trigger; plpgsql
  -- plans each on first use, so the insert path never resolves old_rows.
  if tg_op = 'INSERT' then
    select array_agg(n.id)
    into v_ids
    from new_rows n
    where notify_internal.is_sendable(n.publish_status, n.deactivated, n.notification_status);
  else
    select array_agg(n.id)
    into v_ids
    from new_rows n
    join old_rows o on o.id = n.id
    where notify_internal.is_sendable(n.publish_status, n.deactivated, n.notification_status)
      -- Published twice: it already has its message. PROCESSING -> PENDING is
      -- a retry that keeps its existing message.
      and not notify_internal.is_sendable(o.publish_status, o.deactivated, o.notification_status)
      and o.notification_status <> 'PROCESSING';
  end if;

  if v_ids is null then
    return null;
  end if;

  for v_batch in
    with enqueued as (
      select n.id, n.enterprise_id,
        notify_internal.message_delay_seconds(n.scheduled_for) as delay_seconds,
        notify_internal.priority_band(p.sort_order) as band
      from unnest(v_ids) as s (id)
      join new_rows n on n.id = s.id
      left join notify.typ_notification_priority p on p.id = n.notification_priority_id
    ), routed as (
      select pl.id, pl.enterprise_id, pl.delay_seconds,
        case
          when not v_fair_lanes then 'notification_dispatch'
          when pl.band = 0 then 'notification_dispatch_urgent'
          when pl.delay_seconds = 0 and l.queue_name is not null then l.queue_name
          else 'notification_dispatch'
        end as queue_name
      from enqueued pl
      left join notify_internal.dispatch_lane l
        on l.queue_name = notify_internal.dispatch_lane_name(pl.band, pl.enterprise_id)
    )
    select r.queue_name, r.delay_seconds,
      -- The intake's message stays {"notification_id"}; a lane's also names the
      -- enterprise, as the router's do, for the rate limits.
      array_agg(
        case when r.queue_name = 'notification_dispatch'
          then jsonb_build_object('notification_id', r.id)
          else jsonb_build_object('notification_id', r.id, 'enterprise_id', r.enterprise_id)
        end
        order by r.id
      ) as messages
    from routed r
    group by 1, 2
  loop
    perform pgmq.send_batch(queue_name => v_batch.queue_name, msgs => v_batch.messages, delay => v_batch.delay_seconds);
  end loop;

  perform notify_internal.kick_dispatcher();
  return null;
end
$$;
comment on function notify_internal.enqueue_sendable_notifications() is 'Statement trigger: sends one message per row that became sendable (delayed by notify_internal.message_delay_seconds until scheduled_for): critical priorities to notification_dispatch_urgent, due rows straight to their enterprise and band''s lane when it exists, the rest (scheduled rows, a lane''s first rows) to the intake notification_dispatch; then kicks the dispatcher once.';

-- Redefines notify_internal.retime_rescheduled_notifications from
-- 20261203075915_retime_queued_message_when_rescheduled.sql: the delay only.
create or replace function notify_internal.retime_rescheduled_notifications() returns trigger
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
  select jsonb_object_agg(n.id::text, notify_internal.message_delay_seconds(n.scheduled_for))
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
comment on function notify_internal.retime_rescheduled_notifications() is 'Statement trigger: for each notification that was and still is waiting to be sent (PUBLISH, active, PENDING) and whose scheduled_for changed (earlier, later or to null), moves its notification_dispatch message to the new time (notify_internal.message_delay_seconds; or sends one if it has none), then kicks the dispatcher once.';
