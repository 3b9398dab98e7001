-- The router: moves visible messages from the intake queue notification_dispatch
-- (where every enqueue writes, in the inserting transaction) into the lanes of
-- their enterprise and priority band, in one transaction (read, send_batch per
-- lane, delete), so a message is always in exactly one queue. pgmq 1.4.4 calls
-- only; lane messages carry the enterprise so the dispatcher can rate-limit
-- before it claims.

create function notify_internal.ensure_dispatch_lane(p_queue_name text, p_band smallint, p_enterprise_id uuid)
returns void
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if not exists (select from notify_internal.dispatch_lane l where l.queue_name = p_queue_name) then
    perform pgmq.create(queue_name => p_queue_name);
    insert into notify_internal.dispatch_lane (queue_name, band, enterprise_id)
    values (p_queue_name, p_band, p_enterprise_id);
  end if;
end
$$;
comment on function notify_internal.ensure_dispatch_lane(text, smallint, uuid) is 'Creates a lane''s pgmq queue and registers it, once; called by the router under its lock.';

create function notify_internal.route_dispatch_intake(p_limit integer) returns integer
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_lane record;
  v_routed bigint[] := '{}';
begin
  -- One router at a time: parallel batches would only wait on each other's
  -- intake rows, and two creating the same lane at once would collide. A
  -- batch that finds the router busy goes on with the lanes as they are.
  if not pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('notify_internal.route_dispatch_intake')) then
    return 0;
  end if;
  for v_lane in
    with intake as (
      select r.msg_id,
        -- Attempts already spent on the notification travel with it: those of an earlier
        -- message (put back after a 429) and this message's reads before this one (read
        -- first in, first out with dispatch_fair_lanes = off, or left by processing that
        -- died); the router's own read (rolled back with it if it fails) is not one.
        nullif(
          case when r.message ->> 'attempts' ~ '^[0-9]+$'
            then (r.message ->> 'attempts')::integer else 0 end + r.read_ct - 1,
          0
        ) as attempts,
        case when r.message ->> 'notification_id' ~ '^[0-9]+$'
          then (r.message ->> 'notification_id')::bigint end as notification_id
      from pgmq.read(queue_name => 'notification_dispatch', vt => 30, qty => p_limit) r
    ), placed as (
      select i.msg_id, i.notification_id, i.attempts, n.enterprise_id,
        notify_internal.priority_band(p.sort_order) as band
      from intake i
      left join notify.ent_notification n on n.id = i.notification_id
      left join notify.typ_notification_priority p on p.id = n.notification_priority_id
    )
    select notify_internal.dispatch_lane_name(pl.band, pl.enterprise_id) as queue_name,
      pl.band, case when pl.band = 0 then null else pl.enterprise_id end as enterprise_id,
      array_agg(pl.msg_id order by pl.msg_id) as msg_ids,
      array_agg(
        jsonb_strip_nulls(jsonb_build_object('notification_id', pl.notification_id,
          'enterprise_id', pl.enterprise_id, 'attempts', pl.attempts))
        order by pl.msg_id
      ) as messages
    from placed pl
    group by 1, 2, 3
  loop
    perform notify_internal.ensure_dispatch_lane(v_lane.queue_name, v_lane.band, v_lane.enterprise_id);
    perform pgmq.send_batch(queue_name => v_lane.queue_name, msgs => v_lane.messages);
    v_routed := v_routed || v_lane.msg_ids;
  end loop;
  if cardinality(v_routed) > 0 then
    perform pgmq.delete(queue_name => 'notification_dispatch', msg_ids => v_routed);
  end if;
  return cardinality(v_routed);
end
$$;
comment on function notify_internal.route_dispatch_intake(integer) is 'Moves up to p_limit visible intake messages (notification_dispatch) into their lanes: notification_dispatch_urgent for critical priorities, else the lane of the notification''s enterprise and priority band; returns how many moved (0 also when another router holds the lock). Scheduled messages stay in the intake until due.';

do $$
declare
  v_function text;
begin
  foreach v_function in array array[
    'notify_internal.ensure_dispatch_lane(text, smallint, uuid)',
    'notify_internal.route_dispatch_intake(integer)'
  ] loop
    execute format('revoke execute on function %s from public', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
