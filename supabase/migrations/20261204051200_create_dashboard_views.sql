-- Views for the Supabase dashboard (issue 11): queue state, notifications by
-- enterprise and status, failures, latency, stuck work and rule firings. Every
-- view is security_invoker, so RLS applies to whoever reads it: a member sees
-- only its enterprises' rows, service_role sees all. The pgmq queue tables are
-- readable by nobody but their owner, so the two views that read them go
-- through security definer functions that apply the same rule themselves
-- (notify_internal.caller_bypasses_rls, caller_enterprise_ids). The indexes
-- that keep each view under 100 ms on a million rows are the next migration.

create function notify_internal.setting_integer(p_name text, p_default integer) returns integer
language sql
stable
security invoker
set search_path = ''
as $$
  select coalesce(
    case when notify_internal.setting(p_name) ~ '^[0-9]{1,9}$' then notify_internal.setting(p_name)::integer end,
    p_default)
$$;
comment on function notify_internal.setting_integer(text, integer) is 'The setting p_name as a whole number (anything else, or unset, falls back to p_default).';
revoke execute on function notify_internal.setting_integer(text, integer) from public;

create function notify_internal.stuck_work_thresholds(
  out processing_lease interval,
  out pending_overdue interval
)
language sql
stable
-- Definer: members reading notify.dashboard_stuck_work need these two numbers,
-- but notify_internal.setting() (which also holds secrets) is service_role's.
security definer
set search_path = ''
as $$
  select make_interval(secs => notify_internal.setting_integer('dispatch_visibility_timeout_s', 30)),
    make_interval(secs => notify_internal.setting_integer('stuck_pending_after_s', 300))
$$;
comment on function notify_internal.stuck_work_thresholds() is 'When work counts as stuck: PROCESSING longer than the dispatch lease (dispatch_visibility_timeout_s, 30 s; by then its message has reappeared and the row should have been re-claimed), PENDING and due for longer than stuck_pending_after_s (300 s).';
revoke execute on function notify_internal.stuck_work_thresholds() from public;
grant execute on function notify_internal.stuck_work_thresholds() to authenticated, service_role;

create function notify_internal.queue_state()
returns table (
  queue_name text,
  kind text,
  enterprise_id uuid,
  band smallint,
  visible bigint,
  delayed bigint,
  oldest_visible_age interval,
  longest_visible_wait interval
)
language plpgsql
stable
-- Definer: pgmq's queue tables are readable by their owner only. A member gets
-- its enterprises' lanes; the shared queues (intake, urgent, cancellation,
-- rule events) hold every enterprise's work and are shown to callers that
-- bypass RLS (service_role) only.
security definer
set search_path = ''
as $$
declare
  v_every_enterprise boolean := notify_internal.caller_bypasses_rls();
  v_enterprise_ids uuid[] := notify_internal.caller_enterprise_ids();
  v_queue record;
begin
  for v_queue in
    select q.queue_name, l.enterprise_id, l.band,
      case
        when q.queue_name = 'notification_dispatch' then 'intake'
        when l.band = 0 then 'urgent'
        when l.queue_name is not null then 'lane'
        when q.queue_name = 'notification_cancellation' then 'cancellation'
        when q.queue_name = 'rule_events' then 'rule_events'
        else 'other'
      end as kind
    from pgmq.list_queues() q
    left join notify_internal.dispatch_lane l on l.queue_name = q.queue_name
    where v_every_enterprise or (l.band <> 0 and l.enterprise_id = any (v_enterprise_ids))
    order by q.queue_name
  loop
    queue_name := v_queue.queue_name;
    kind := v_queue.kind;
    enterprise_id := v_queue.enterprise_id;
    band := v_queue.band;
    execute pg_catalog.format(
      'select count(*) filter (where vt <= pg_catalog.clock_timestamp()),
              count(*) filter (where vt > pg_catalog.clock_timestamp()),
              pg_catalog.clock_timestamp() - min(enqueued_at) filter (where vt <= pg_catalog.clock_timestamp()),
              pg_catalog.clock_timestamp() - min(vt) filter (where vt <= pg_catalog.clock_timestamp())
         from pgmq.%I', 'q_' || v_queue.queue_name)
      into visible, delayed, oldest_visible_age, longest_visible_wait;
    return next;
  end loop;
end
$$;
comment on function notify_internal.queue_state() is 'Every pgmq queue the caller may see (service_role: all; a member: its enterprises'' lanes) with its visible and delayed message counts, the age of the oldest visible message (since it was enqueued) and how long the longest-waiting visible message has been readable (since its visibility time).';
revoke execute on function notify_internal.queue_state() from public;
grant execute on function notify_internal.queue_state() to authenticated, service_role;

create view notify.dashboard_queues
with (security_invoker = true)
as
select q.queue_name, q.kind, q.enterprise_id, q.band, q.visible, q.delayed,
  q.oldest_visible_age, q.longest_visible_wait
from notify_internal.queue_state() q;
comment on view notify.dashboard_queues is 'Queue state, one row per pgmq queue: kind (intake notification_dispatch, urgent, lane nl<band>_<enterprise>, cancellation, rule_events, other), visible and delayed (scheduled, backing off or leased) messages, age of the oldest visible message and the longest wait of a readable one. Members see their enterprises'' lanes; service_role sees every queue. Growing visible counts or a wait of more than a few seconds mean the dispatcher is not keeping up or not running.';

create function notify_internal.unconfirmed_cancellations()
returns table (notification_id bigint, enterprise_id uuid, queued_at timestamptz, attempts integer)
language sql
stable
-- Definer: the cancellation queue is readable by its owner only; rows are
-- filtered to the caller's enterprises unless the caller bypasses RLS.
security definer
set search_path = ''
as $$
  select n.id, n.enterprise_id, c.enqueued_at, c.read_ct
  from pgmq.q_notification_cancellation c
  join notify.ent_notification n on n.id = (c.message ->> 'notification_id')::bigint
  where (select notify_internal.caller_bypasses_rls())
    or n.enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[])
$$;
comment on function notify_internal.unconfirmed_cancellations() is 'Retracted notifications whose Novu cancel the dispatcher has not yet confirmed (their notification_cancellation message is still queued), of the caller''s enterprises (all for service_role), with the number of attempts so far.';
revoke execute on function notify_internal.unconfirmed_cancellations() from public;
grant execute on function notify_internal.unconfirmed_cancellations() to authenticated, service_role;

create view notify.dashboard_notification_counts
with (security_invoker = true)
as
select n.enterprise_id, n.notification_status,
  count(*) filter (where n.created_at > now() - interval '1 hour') as last_hour,
  count(*) as last_day
from notify.ent_notification n
where n.created_at > now() - interval '1 day'
group by n.enterprise_id, n.notification_status;
comment on view notify.dashboard_notification_counts is 'Notifications created in the last hour and the last day, by enterprise and current status. A growing PENDING or FAILED share is the first sign of trouble.';

create view notify.dashboard_failures
with (security_invoker = true)
as
select n.enterprise_id, n.error_details ->> 'kind' as failure_kind,
  n.notification_workflow_id as workflow_id, w.workflow_key,
  count(*) as failed,
  max(n.processed_at) as last_failed_at,
  (array_agg(n.error_details ->> 'message' order by n.processed_at desc))[1] as last_error
from notify.ent_notification n
left join notify.ent_notification_workflow w on w.id = n.notification_workflow_id
where n.notification_status = 'FAILED'
  and n.processed_at > now() - interval '7 days'
group by n.enterprise_id, n.error_details ->> 'kind', n.notification_workflow_id, w.workflow_key;
comment on view notify.dashboard_failures is 'Notifications that failed in the last 7 days and are still FAILED, by enterprise, failure kind (error_details.kind) and workflow: how many, when the last one failed and its error message. Retry them with notify.retry_failed_notifications once the cause is fixed.';

create view notify.dashboard_latency
with (security_invoker = true)
as
select n.enterprise_id, date_trunc('hour', n.processed_at) as hour, count(*) as sent,
  round((percentile_cont(0.5) within group (order by l.ms))::numeric) as p50_ms,
  round((percentile_cont(0.95) within group (order by l.ms))::numeric) as p95_ms,
  round((percentile_cont(0.99) within group (order by l.ms))::numeric) as p99_ms
from notify.ent_notification n
cross join lateral (
  select extract(epoch from n.processed_at - greatest(n.created_at, n.scheduled_for)) * 1000 as ms
) l
where n.notification_status = 'SENT'
  and n.processed_at > now() - interval '1 day'
group by n.enterprise_id, date_trunc('hour', n.processed_at);
comment on view notify.dashboard_latency is 'Delivery latency over the last day, per enterprise and hour (of sending): p50, p95 and p99 milliseconds from insert (or scheduled_for, for a scheduled send) to SENT (Novu accepted the trigger), of notifications still SENT.';

create view notify.dashboard_stuck_work
with (security_invoker = true)
as
with thresholds as (
  select t.processing_lease, t.pending_overdue from notify_internal.stuck_work_thresholds() t
)
select 'processing_past_lease'::text as kind, n.id as notification_id, n.enterprise_id, n.name,
  n.notification_status, n.updated_at as since, now() - n.updated_at as stuck_for, n.error_details as details
from notify.ent_notification n, thresholds t
where n.notification_status = 'PROCESSING'
  and n.updated_at < now() - t.processing_lease
union all
select 'pending_overdue', n.id, n.enterprise_id, n.name, n.notification_status,
  greatest(n.updated_at, n.scheduled_for), now() - greatest(n.updated_at, n.scheduled_for), n.error_details
from notify.ent_notification n, thresholds t
where n.notification_status = 'PENDING'
  and n.publish_status = 'PUBLISH'
  and not n.deactivated
  and greatest(n.updated_at, n.scheduled_for) < now() - t.pending_overdue
union all
select 'cancellation_unconfirmed', n.id, n.enterprise_id, n.name, n.notification_status,
  c.queued_at, now() - c.queued_at, jsonb_build_object('attempts', c.attempts)
from notify_internal.unconfirmed_cancellations() c
join notify.ent_notification n on n.id = c.notification_id;
comment on view notify.dashboard_stuck_work is 'Work that should have moved and has not: processing_past_lease (PROCESSING longer than the dispatch lease, dispatch_visibility_timeout_s: the dispatcher died or is not running), pending_overdue (PENDING, published, active and due for longer than stuck_pending_after_s, 300 s: dispatcher down, or the enterprise throttled, see notify.throttled_notification), cancellation_unconfirmed (retracted after it reached Novu, its Novu cancel not yet confirmed; details.attempts counts the tries). Empty when all is well.';

create view notify.dashboard_rule_firings
with (security_invoker = true)
as
select f.enterprise_id, f.notification_rule_id as rule_id, r.name as rule_name, r.trigger_type,
  f.outcome,
  count(*) filter (where f.created_at > now() - interval '1 hour') as last_hour,
  count(*) as last_day,
  max(f.created_at) as last_at,
  (array_agg(f.reason order by f.created_at desc) filter (where f.reason is not null))[1] as last_reason
from notify.rule_firing f
left join notify.ent_notification_rule r on r.id = f.notification_rule_id
where f.created_at > now() - interval '1 day'
group by f.enterprise_id, f.notification_rule_id, r.name, r.trigger_type, f.outcome;
comment on view notify.dashboard_rule_firings is 'Rule firings recorded in the last hour and day, by enterprise, rule and outcome (created, skipped, failed, retracted), with the latest time and the latest reason given (why a firing was skipped or failed).';

grant select on notify.dashboard_queues, notify.dashboard_notification_counts, notify.dashboard_failures,
  notify.dashboard_latency, notify.dashboard_stuck_work, notify.dashboard_rule_firings
  to authenticated, service_role;
