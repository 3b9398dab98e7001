-- Fair, prioritised dispatch (DESIGN section 10): the dispatcher reads from
-- lanes, pgmq queues holding the due messages of one enterprise in one
-- priority band, instead of one first-in-first-out queue. A flood of one
-- enterprise fills only its own lane, so every other enterprise's lane is read
-- in the same batches; critical notifications wait in their own queue, read
-- first. notification_dispatch stays the intake every enqueue writes to; the
-- dispatcher moves its visible messages into the lanes
-- (notify_internal.route_dispatch_intake, next migration).

create function notify_internal.priority_band(p_sort_order integer) returns smallint
language sql
immutable
security invoker
-- No `set search_path`: the router evaluates this once per routed message and a
-- function with a SET clause is never inlined; it names no database object.
as $$
  select case
    when p_sort_order >= 40 then 0
    when p_sort_order >= 30 then 1
    when p_sort_order >= 20 or p_sort_order is null then 2
    else 3
  end::smallint
$$;
comment on function notify_internal.priority_band(integer) is 'Dispatch band of a priority''s sort_order (higher sort_order is more urgent, as in the seed: low 10, normal 20, high 30, critical 40): 0 critical (>= 40, the urgent queue), 1 high (30-39), 2 normal (20-29, or no priority), 3 low (< 20).';
revoke execute on function notify_internal.priority_band(integer) from public;

create table notify_internal.dispatch_lane (
  queue_name text primary key,
  band smallint not null,
  enterprise_id uuid,
  created_at timestamptz not null default now(),
  constraint dispatch_lane_band_is_0_to_3 check (band between 0 and 3),
  constraint dispatch_lane_urgent_queue_is_shared check (band <> 0 or enterprise_id is null)
);
comment on table notify_internal.dispatch_lane is 'Every dispatch lane: a pgmq queue of due messages for one enterprise (null: notifications without one) in one band; band 0 is the one urgent queue all enterprises share. Written by the router when it first sees a lane; read by the dispatcher each batch.';
alter table notify_internal.dispatch_lane enable row level security;
revoke all on table notify_internal.dispatch_lane from public, anon, authenticated, service_role;

select pgmq.create(queue_name => 'notification_dispatch_urgent');
insert into notify_internal.dispatch_lane (queue_name, band, enterprise_id)
values ('notification_dispatch_urgent', 0, null);

create function notify_internal.dispatch_lane_name(p_band smallint, p_enterprise_id uuid)
returns text
language sql
immutable
security invoker
set search_path = ''
as $$
  select case
    when p_band = 0 then 'notification_dispatch_urgent'
    -- pgmq queue names stay under 48 characters: nl<band>_<uuid without dashes>.
    else 'nl' || p_band || '_' || coalesce(pg_catalog.replace(p_enterprise_id::text, '-', ''), 'none')
  end
$$;
comment on function notify_internal.dispatch_lane_name(smallint, uuid) is 'The pgmq queue of a lane: notification_dispatch_urgent for band 0, else nl<band>_<enterprise id without dashes> (nl<band>_none without an enterprise).';

create function notify_internal.dispatch_lane_backlog(p_cap integer)
returns table (queue_name text, band smallint, enterprise_id uuid, visible integer)
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_lane record;
begin
  for v_lane in select l.queue_name, l.band, l.enterprise_id from notify_internal.dispatch_lane l loop
    -- pgmq 1.4.4 has no call that counts visible messages cheaply (metrics counts
    -- every row); the queue table is read by column name (vt, indexed), and the
    -- count stops at p_cap.
    execute pg_catalog.format(
      'select count(*)::integer from (select from pgmq.%I where vt <= pg_catalog.clock_timestamp() limit $1) as v',
      'q_' || v_lane.queue_name
    ) into visible using p_cap;
    if visible > 0 then
      queue_name := v_lane.queue_name;
      band := v_lane.band;
      enterprise_id := v_lane.enterprise_id;
      return next;
    end if;
  end loop;
end
$$;
comment on function notify_internal.dispatch_lane_backlog(integer) is 'The lanes that have visible messages, each with their count up to p_cap: what the dispatcher''s fair, prioritised selection shares a batch among.';

create function notify_internal.seconds_until_next_dispatch_message() returns integer
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_lane text;
  v_next timestamptz;
  v_earliest timestamptz;
begin
  -- The intake counts visible messages too (0: route them now). In the lanes,
  -- only hidden messages count: a visible one is read by the next batch unless
  -- its enterprise is throttled, and then the batch reports when tokens return.
  select min(q.vt) into v_earliest from pgmq.q_notification_dispatch q;
  for v_lane in select l.queue_name from notify_internal.dispatch_lane l loop
    execute pg_catalog.format(
      'select min(vt) from pgmq.%I where vt > pg_catalog.clock_timestamp()', 'q_' || v_lane
    ) into v_next;
    v_earliest := least(v_earliest, v_next);
  end loop;
  return greatest(0, ceil(extract(epoch from v_earliest - pg_catalog.clock_timestamp())))::integer;
end
$$;
comment on function notify_internal.seconds_until_next_dispatch_message() is 'Seconds until the dispatcher has new work: the earliest message of the intake (0 when one is visible) or the earliest hidden message of any lane (a retry, a scheduled send put back); null when there is none.';

do $$
declare
  v_function text;
begin
  foreach v_function in array array[
    'notify_internal.dispatch_lane_name(smallint, uuid)',
    'notify_internal.dispatch_lane_backlog(integer)',
    'notify_internal.seconds_until_next_dispatch_message()'
  ] loop
    execute format('revoke execute on function %s from public', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
