-- Every due row whose lane exists now goes straight to it, not only floods of
-- more than 1,000 rows. Through the intake, a single row waited for the router:
-- one more round trip in the batch that serves it, and the routing of whatever
-- was in the intake before it (issue 9: an enterprise's notification inserted
-- during another's flood should wait for as little as possible). The intake
-- keeps what only the router can place: scheduled rows until they are due, and
-- the first rows of an enterprise and band, whose lane the router creates
-- (lanes are never created inside the platform's insert).
-- Redefines notify_internal.enqueue_sendable_notifications from
-- 20261203081354_enqueue_floods_and_critical_into_lanes.sql.

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
        greatest(0, ceil(extract(epoch from n.scheduled_for - now())))::integer as delay_seconds,
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
comment on function notify_internal.enqueue_sendable_notifications() is 'Statement trigger: sends one message per row that became sendable (delayed until scheduled_for): critical priorities to notification_dispatch_urgent, due rows straight to their enterprise and band''s lane when it exists, the rest (scheduled rows, a lane''s first rows) to the intake notification_dispatch; then kicks the dispatcher once.';
