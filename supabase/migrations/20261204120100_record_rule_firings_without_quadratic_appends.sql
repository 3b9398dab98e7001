-- record_rule_firings collected its results and planned notifications by
-- appending to jsonb values, and appending copies the whole value: a batch of n
-- firings cost O(n^2): in one transaction on an idle platform, 0.35 ms per
-- firing in batches of 100 and 0.66 ms in batches of 500 (FIRINGS_PER_CALL).
-- The same function with jsonb[] accumulators, which plpgsql appends in place:
-- 0.29-0.35 ms and 0.30-0.38 ms. Behaviour unchanged.

create or replace function notify_internal.record_rule_firings(p_firings jsonb)
returns table (
  notification_rule_id bigint,
  fire_at timestamptz,
  event_id bigint,
  firing_id bigint,
  outcome text,
  reason text
)
language plpgsql
-- Invoker: run by the engine as service_role (or its postgres login), which
-- owns every enterprise's data; every row it writes takes its enterprise from
-- the rule, never from the caller's input.
security invoker
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_item jsonb;
  v_rule record;
  v_firing_id bigint;
  v_recipients uuid[];
  v_priority_id bigint;
  v_failure text;
  -- Arrays, appended in place: appending to a jsonb value copies it whole, which
  -- made a batch of n firings cost O(n^2).
  v_results jsonb[] := '{}';
  v_notifications jsonb[] := '{}';
begin
  -- An edit of a rule waits for this transaction (and vice versa), so a firing
  -- planned from a version that is being replaced never outlives its retraction.
  perform 1 from notify.ent_notification_rule r
  where r.id in (select (f ->> 'rule_id')::bigint from jsonb_array_elements(p_firings) f)
  order by r.id
  for share;

  for v_item in select value from jsonb_array_elements(p_firings) loop
    select r.id, r.name, r.enterprise_id, r.rule_payload, w.id as workflow_id, w.workflow_key,
           w.default_channels,
           notify_internal.is_usable_by(w.enterprise_id, w.publish_status, w.deactivated, r.enterprise_id) as workflow_sendable
      into v_rule
    from notify.ent_notification_rule r
    join notify.ent_notification_workflow w on w.id = r.notification_workflow_id
    where r.id = (v_item ->> 'rule_id')::bigint
      and r.updated_at = (v_item ->> 'rule_version')::timestamptz
      and r.publish_status = 'PUBLISH'
      and not r.deactivated;
    if not found then
      -- The rule changed, was unpublished or deleted since it was read: the
      -- next run plans its current version.
      v_results := pg_catalog.array_append(v_results, jsonb_build_object('rule_id', v_item -> 'rule_id', 'fire_at', v_item -> 'fire_at',
        'event_id', v_item -> 'event_id', 'outcome', 'stale', 'reason', 'the rule changed since it was read'));
      continue;
    end if;

    v_failure := case
      when v_item ->> 'outcome' in ('skipped', 'failed') then v_item ->> 'reason'
      when not v_rule.workflow_sendable then format('workflow %s is not published and active', v_rule.workflow_key)
    end;
    v_recipients := null;
    if v_failure is null then
      begin
        v_recipients := case
          when v_item ? 'audience' then notify_internal.resolve_audience(v_item ->> 'audience', v_rule.enterprise_id,
            coalesce(v_item -> 'context', '{}'))
          else array(select jsonb_array_elements_text(v_item -> 'recipients'))::uuid[]
        end;
        if coalesce(cardinality(v_recipients), 0) = 0 then
          v_failure := case when v_item ? 'audience'
            then format('audience %s returned no recipients', v_item ->> 'audience')
            else 'no recipients' end;
        end if;
      exception when others then
        v_failure := format('audience %s failed: %s', v_item ->> 'audience', sqlerrm);
      end;
    end if;

    insert into notify.rule_firing as f (enterprise_id, notification_rule_id, rule_version, fire_at, event_id, outcome, reason)
    values (
      v_rule.enterprise_id, v_rule.id, (v_item ->> 'rule_version')::timestamptz,
      (v_item ->> 'fire_at')::timestamptz, (v_item ->> 'event_id')::bigint,
      case when v_failure is null then 'created' else coalesce(v_item ->> 'outcome', 'failed') end,
      v_failure
    )
    on conflict do nothing
    returning f.id into v_firing_id;
    if v_firing_id is null then
      v_results := pg_catalog.array_append(v_results, jsonb_build_object('rule_id', v_rule.id, 'fire_at', v_item -> 'fire_at',
        'event_id', v_item -> 'event_id', 'outcome', 'duplicate', 'reason', 'already recorded'));
      continue;
    end if;

    v_results := pg_catalog.array_append(v_results, jsonb_build_object('rule_id', v_rule.id, 'fire_at', v_item -> 'fire_at',
      'event_id', v_item -> 'event_id', 'firing_id', v_firing_id,
      'outcome', case when v_failure is null then 'created' else coalesce(v_item ->> 'outcome', 'failed') end,
      'reason', v_failure));
    if v_failure is not null then
      continue;
    end if;

    select p.id into v_priority_id
    from notify.typ_notification_priority p
    where p.code = v_rule.rule_payload ->> 'priority'
      and (p.enterprise_id is null or p.enterprise_id = v_rule.enterprise_id);
    v_notifications := pg_catalog.array_append(v_notifications, jsonb_build_object(
      'firing_id', v_firing_id,
      'name', format('%s · %s · firing %s', v_rule.name,
        coalesce(to_char((v_item ->> 'fire_at')::timestamptz at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
          'event ' || (v_item ->> 'event_id')),
        v_firing_id),
      'enterprise_id', v_rule.enterprise_id,
      'workflow_id', v_rule.workflow_id,
      'rule_id', v_rule.id,
      'priority_id', v_priority_id,
      'payload', v_item -> 'payload',
      'recipients', to_jsonb(v_recipients),
      'channels', coalesce(v_rule.rule_payload -> 'channels', to_jsonb(v_rule.default_channels)),
      'overrides', v_rule.rule_payload -> 'overrides',
      'tags', v_rule.rule_payload -> 'tags',
      'scheduled_for', v_item -> 'fire_at'
    ));
  end loop;

  -- One insert for the whole batch: one enqueue statement, one dispatcher kick.
  with planned as (
    select * from jsonb_to_recordset(to_jsonb(v_notifications)) as x (
      firing_id bigint, name text, enterprise_id uuid, workflow_id bigint, rule_id bigint, priority_id bigint,
      payload jsonb, recipients uuid[], channels shared_types.notification_channel_type[], overrides jsonb,
      tags text[], scheduled_for timestamptz)
  ), created as (
    insert into notify.ent_notification (name, enterprise_id, notification_workflow_id, notification_rule_id,
      notification_priority_id, publish_status, payload, recipients, channels, overrides, tags, scheduled_for)
    select p.name, p.enterprise_id, p.workflow_id, p.rule_id, p.priority_id, 'PUBLISH', p.payload, p.recipients,
      p.channels, p.overrides, p.tags, p.scheduled_for
    from planned p
    returning id, name, enterprise_id
  )
  update notify.rule_firing f
  set notification_id = c.id
  from created c
  join planned p on p.name = c.name and p.enterprise_id = c.enterprise_id
  where f.id = p.firing_id;

  return query
  select x.rule_id, x.fire_at, x.event_id, x.firing_id, x.outcome, x.reason
  from jsonb_to_recordset(to_jsonb(v_results)) as x (rule_id bigint, fire_at timestamptz, event_id bigint, firing_id bigint,
    outcome text, reason text);
end
$$;
comment on function notify_internal.record_rule_firings(jsonb) is 'Records firings [{rule_id, rule_version, fire_at | event_id, payload, recipients | audience, context} or {..., outcome: skipped|failed, reason}] and creates one PUBLISH notification per new firing (scheduled_for = fire_at); returns each firing''s outcome: created, skipped, failed, duplicate (its key was recorded before) or stale (the rule changed since it was read).';
