-- seconds_until_next_dispatch_message() answered 0 ("work is visible now")
-- when every dispatch queue was empty: greatest() ignores a null argument, so
-- greatest(0, null) is 0, not null. The dispatcher takes 0 as "kick again at
-- once", so an idle dispatcher ran about three drain rounds a second, each
-- probing every lane, forever (about a sixth of a core on the 2-core machine,
-- and the same again in PostgreSQL). Null now means what the comment always
-- said: nothing is waiting, the next insert's kick (or the sweep) starts the
-- next drain.

create or replace function notify_internal.seconds_until_next_dispatch_message() returns integer
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
  if v_earliest is null then
    return null;
  end if;
  return greatest(0, ceil(extract(epoch from v_earliest - pg_catalog.clock_timestamp())))::integer;
end
$$;
comment on function notify_internal.seconds_until_next_dispatch_message() is 'Seconds until the dispatcher has new work: the earliest message of the intake (0 when one is visible) or the earliest hidden message of any lane (a retry, a scheduled send put back); null when there is none.';
