-- Events and firings: what the rules engine reads and what it leaves behind.
-- An event is a row (recorded and queued by notify.emit_event); a firing is one
-- decision of a rule (for an instant, or for an event) with its outcome. The
-- unique firing keys are what makes every firing exactly-once, however often
-- the scheduler runs, crashes or a queue message is redelivered.

create table notify.rule_event (
  id bigint generated always as identity primary key,
  enterprise_id uuid not null,
  event_name text not null,
  payload jsonb not null default '{}',
  dedup_key text,
  emitted_at timestamptz not null default now(),
  emitted_by uuid default auth.uid(),
  processed_at timestamptz,
  matched_rules int,
  constraint rule_event_name_is_letters_digits_and_separators
    check (notify_internal.is_event_name(event_name)),
  constraint rule_event_payload_is_a_json_object check (jsonb_typeof(payload) = 'object'),
  constraint rule_event_payload_is_at_most_64_kib check (octet_length(payload::text) <= 65536),
  constraint rule_event_dedup_key_has_1_to_200_characters
    check (dedup_key is null or char_length(dedup_key) between 1 and 200)
);
comment on table notify.rule_event is 'Events emitted through notify.emit_event (or POST /functions/v1/events) for EVENT rules; processed_at and matched_rules are set once the rules engine has matched it.';
create index rule_event_dedup_idx on notify.rule_event (enterprise_id, dedup_key, emitted_at)
  where dedup_key is not null;
create index rule_event_enterprise_emitted_idx on notify.rule_event (enterprise_id, emitted_at);

create table notify.rule_firing (
  id bigint generated always as identity primary key,
  enterprise_id uuid not null,
  notification_rule_id bigint references notify.ent_notification_rule (id) on delete set null,
  -- The rule's updated_at when the firing was planned: an edit makes a new
  -- version whose future instants are planned anew (the old ones retracted).
  rule_version timestamptz not null,
  fire_at timestamptz,
  event_id bigint references notify.rule_event (id) on delete cascade,
  outcome text not null,
  reason text,
  notification_id bigint references notify.ent_notification (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint rule_firing_is_for_an_instant_or_for_an_event check ((fire_at is null) <> (event_id is null)),
  constraint rule_firing_outcome_is_created_skipped_failed_or_retracted
    check (outcome in ('created', 'skipped', 'failed', 'retracted')),
  constraint rule_firing_says_why_unless_created check (outcome = 'created' or reason is not null),
  constraint rule_firing_once_per_rule_version_and_instant unique (notification_rule_id, rule_version, fire_at),
  constraint rule_firing_once_per_rule_and_event unique (notification_rule_id, event_id)
);
comment on table notify.rule_firing is 'One row per firing of a rule (rule + instant, or rule + event) with its outcome: created (notification_id), skipped or failed (reason), or retracted by a later edit of the rule (reason). The unique keys make firings exactly-once.';
create index rule_firing_enterprise_created_idx on notify.rule_firing (enterprise_id, created_at);
create index rule_firing_notification_idx on notify.rule_firing (notification_id);
create index rule_firing_event_idx on notify.rule_firing (event_id);

-- Only the engine writes (service_role); members read their enterprises' rows.
revoke all on notify.rule_event, notify.rule_firing from public, anon, authenticated;
grant select, insert, update, delete on notify.rule_event, notify.rule_firing to service_role;
grant select on notify.rule_event, notify.rule_firing to authenticated;

alter table notify.rule_event enable row level security;
alter table notify.rule_firing enable row level security;

create policy "members read their enterprises' events" on notify.rule_event
  for select to authenticated
  using (enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]));
create policy "members read their enterprises' rule firings" on notify.rule_firing
  for select to authenticated
  using (enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]));

select pgmq.create(queue_name => 'rule_events');
