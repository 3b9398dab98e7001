-- A critical notification due now kicks dispatcher-express even while a drain
-- of it holds its lease (20261204180100_coalesce_dispatcher_kicks.sql). Under a
-- lease a drain finds new work by looking every 50 ms; a kick wakes one of its
-- idle loops at once. For a fire alarm that is worth an HTTP request: critical
-- notifications are few. Measured with `./dev bench priority` (Novu's runs
-- deferred, same hour): see docs/internals.md, "Coalesced kicks".

drop function notify_internal.kick_dispatcher();
create function notify_internal.kick_dispatcher(p_urgent boolean default false) returns void
language plpgsql
-- Definer, as before: callers (the enqueue triggers) need no grant on
-- kick_function, the settings it reads or the drain leases.
security definer
set search_path = ''
as $$
begin
  -- After the work is queued (the callers queue first): a running drain that
  -- will read after this commit makes the kick unnecessary.
  if not notify_internal.drain_will_read('dispatcher') then
    perform notify_internal.kick_function('dispatcher', '{"reason": "enqueue"}');
  end if;
  -- Urgent: the kick wakes an idle express loop now instead of at its next look.
  if kick_dispatcher.p_urgent or not notify_internal.drain_will_read('dispatcher-express') then
    perform notify_internal.kick_function('dispatcher-express', '{"reason": "enqueue"}');
  end if;
end
$$;
comment on function notify_internal.kick_dispatcher(boolean) is 'For a transaction that queued dispatch work: asks the dispatcher and dispatcher-express edge functions (through pg_net, after commit) to process the dispatch queues now, each unless a drain of its own will read after the commit (notify_internal.drain_will_read); dispatcher-express regardless when p_urgent (a critical notification due now). Does nothing when functions_url is unset or pg_net is absent, leaving the pg_cron sweep to pick the work up.';
revoke execute on function notify_internal.kick_dispatcher(boolean) from public;
grant execute on function notify_internal.kick_dispatcher(boolean) to service_role;

-- Redefines notify_internal.enqueue_sendable_notifications from
-- 20261204110000_surface_scheduled_messages_at_their_instant.sql: notes
-- whether it queued urgent work due now, for the kick.
create or replace function notify_internal.enqueue_sendable_notifications() returns trigger
language plpgsql
-- Definer: writing to pgmq and kicking the dispatcher are not privileges the
-- inserting role (authenticated, service_role) holds itself.
security definer
set search_path = ''
-- Joins the statement's transition tables (20261204160100).
set enable_nestloop = off
as $$
declare
  v_ids bigint[];
  v_batch record;
  -- dispatch_fair_lanes = off: everything through the intake, first in, first out.
  v_fair_lanes boolean := coalesce(notify_internal.setting('dispatch_fair_lanes'), 'on') <> 'off';
  v_urgent boolean := false;
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
    v_urgent := v_urgent or (v_batch.queue_name = 'notification_dispatch_urgent' and v_batch.delay_seconds = 0);
  end loop;

  perform notify_internal.kick_dispatcher(p_urgent => v_urgent);
  return null;
end
$$;
comment on function notify_internal.enqueue_sendable_notifications() is 'Statement trigger: sends one message per row that became sendable (delayed by notify_internal.message_delay_seconds until scheduled_for): critical priorities to notification_dispatch_urgent, due rows straight to their enterprise and band''s lane when it exists, the rest (scheduled rows, a lane''s first rows) to the intake notification_dispatch; then kicks the dispatchers once (dispatcher-express regardless of its lease when a critical notification is due now).';
