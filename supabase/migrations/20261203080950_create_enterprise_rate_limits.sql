-- Optional per-enterprise rate limits (DESIGN section 10): a token bucket per
-- enterprise, `notifications_per_second` refill and `burst` capacity, managed by
-- service_role. Over the limit, notifications wait in their lane, PENDING
-- (never failed), and show in notify.throttled_notification. The dispatcher
-- reads the limit every batch, so a change applies to the next batch.

create table notify.enterprise_rate_limit (
  enterprise_id uuid primary key,
  notifications_per_second numeric not null,
  burst integer not null,
  tokens double precision,
  refilled_at timestamptz,
  throttled_since timestamptz,
  created_at timestamptz not null default now(),
  constraint enterprise_rate_limit_rate_is_positive check (notifications_per_second > 0),
  constraint enterprise_rate_limit_burst_is_at_least_one check (burst >= 1),
  constraint enterprise_rate_limit_tokens_within_zero_and_burst
    check (tokens is null or (tokens >= 0 and tokens <= burst)),
  constraint enterprise_rate_limit_bucket_state_is_complete check ((tokens is null) = (refilled_at is null))
);
comment on table notify.enterprise_rate_limit is 'Per-enterprise dispatch rate limit (token bucket: notifications_per_second refill, burst capacity), set by service_role; no row = unlimited. tokens, refilled_at and throttled_since are the bucket''s state, written by the dispatcher: throttled_since is set while the enterprise has due notifications waiting for tokens.';
comment on column notify.enterprise_rate_limit.tokens is 'Tokens left at refilled_at (dispatcher state; null: never used, the bucket starts full).';
comment on column notify.enterprise_rate_limit.throttled_since is 'Since when due notifications of the enterprise wait for tokens; null when none waits.';

alter table notify.enterprise_rate_limit enable row level security;
grant select, insert, update, delete on notify.enterprise_rate_limit to service_role;
grant select on notify.enterprise_rate_limit to authenticated;
create policy "members read their enterprises' rate limits" on notify.enterprise_rate_limit
  for select to authenticated
  using (enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]));

create view notify.throttled_notification
with (security_invoker = true)
as
select n.id as notification_id, n.enterprise_id, n.name, n.created_at,
  l.throttled_since, l.notifications_per_second, l.burst
from notify.ent_notification n
join notify.enterprise_rate_limit l on l.enterprise_id = n.enterprise_id
where l.throttled_since is not null
  and n.notification_status = 'PENDING'
  and n.publish_status = 'PUBLISH'
  and not n.deactivated
  and (n.scheduled_for is null or n.scheduled_for <= now());
comment on view notify.throttled_notification is 'Due notifications waiting because their enterprise is over its rate limit (they stay PENDING and are sent as tokens return); read with the caller''s rights, so members see only their enterprises''.';
grant select on notify.throttled_notification to authenticated, service_role;
