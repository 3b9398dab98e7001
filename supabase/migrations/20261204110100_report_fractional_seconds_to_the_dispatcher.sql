-- The dispatcher's two timing answers become exact (fractional seconds) so a
-- scheduled notification is sent at its instant, not at the next whole second
-- (see 20261204110000_surface_scheduled_messages_at_their_instant.sql):
-- claim_dispatch_batch's seconds_until_due, by which a batch holds a message
-- that surfaced early, and seconds_until_next_dispatch_message, by which the
-- dispatcher arms its wake-up. Their result types change, so both are dropped
-- and created again (bodies as before but for the rounding).

drop function notify_internal.claim_dispatch_batch(bigint[]);
create function notify_internal.claim_dispatch_batch(p_ids bigint[])
returns table (
  id bigint,
  claimed boolean,
  notification_status shared_types.notification_status,
  publish_status shared_types.publish_status,
  deactivated boolean,
  seconds_until_due double precision,
  enterprise_id uuid,
  notification_workflow_id bigint,
  payload jsonb,
  recipients uuid[],
  channels shared_types.notification_channel_type[],
  overrides jsonb,
  tags text[]
)
language sql
security invoker
set search_path = ''
as $$
  -- The claim runs through notify_internal.claim_notifications; the join below
  -- reads the rows as of this statement's snapshot, which is before the claim,
  -- so the status of a claimed row is taken from the claim itself.
  with claimed as (
    select c.id from notify_internal.claim_notifications(p_ids) c
  )
  select
    r.id,
    c.id is not null,
    case when c.id is not null then 'PROCESSING'::shared_types.notification_status else n.notification_status end,
    n.publish_status,
    n.deactivated,
    -- now(), the claim's own time: a row it skipped as not yet due is due
    -- this much later.
    greatest(0, extract(epoch from n.scheduled_for - now()))::double precision,
    n.enterprise_id,
    n.notification_workflow_id,
    n.payload,
    n.recipients,
    n.channels,
    n.overrides,
    n.tags
  from (select distinct u.id from unnest(p_ids) as u (id)) r
  left join claimed c on c.id = r.id
  left join notify.ent_notification n on n.id = r.id
$$;
comment on function notify_internal.claim_dispatch_batch(bigint[]) is 'Claims the given notifications with notify_internal.claim_notifications and reports every requested id once: claimed (PROCESSING, to be sent) or not, with its status, publish state and the exact seconds until scheduled_for (fractional), so the dispatcher can delete, delay, hold or send each queue message; id without a row = deleted notification.';
revoke execute on function notify_internal.claim_dispatch_batch(bigint[]) from public;
grant execute on function notify_internal.claim_dispatch_batch(bigint[]) to service_role;

drop function notify_internal.seconds_until_next_dispatch_message();
create function notify_internal.seconds_until_next_dispatch_message() returns double precision
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
  return greatest(0, extract(epoch from v_earliest - pg_catalog.clock_timestamp()))::double precision;
end
$$;
comment on function notify_internal.seconds_until_next_dispatch_message() is 'Seconds (fractional) until the dispatcher has new work: the earliest message of the intake (0 when one is visible) or the earliest hidden message of any lane (a retry, a scheduled send put back); null when there is none.';
revoke execute on function notify_internal.seconds_until_next_dispatch_message() from public;
grant execute on function notify_internal.seconds_until_next_dispatch_message() to service_role;
