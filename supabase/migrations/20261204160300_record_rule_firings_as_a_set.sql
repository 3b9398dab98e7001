-- record_rule_firings ran three queries per firing (its rule, its firing row,
-- its priority) in a plpgsql loop: 0.27 ms per firing on an idle platform
-- (500 event firings, 134 ms of the function's own time), and the rule-events
-- drain, which calls it once per batch and serially, could not keep up with
-- the rules bench's 1,000 events/s. The firings are now recorded with one
-- statement for the whole batch: each firing with its rule and workflow, its
-- firing row (on conflict do nothing: a key recorded before is a duplicate),
-- and the notification of each new firing. Only audiences still run one call
-- per firing, each in a subtransaction of its own, before that statement: a
-- failing audience fails its own firing only.
--
-- The notification and the firing row name each other (the notification's
-- name carries the firing id, the firing its notification_id), so the
-- notification ids are drawn from their sequence before the insert. Same
-- arguments, same results and outcomes as before, in the order given.

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
  v_audience record;
  v_recipients uuid[];
  -- By the firing's position in p_firings: {"recipients": [...]} or {"failure": "..."}.
  v_audience_results jsonb[] := '{}';
  v_notification_ids regclass := pg_catalog.pg_get_serial_sequence('notify.ent_notification', 'id')::regclass;
begin
  -- An edit of a rule waits for this transaction (and vice versa), so a firing
  -- planned from a version that is being replaced never outlives its retraction.
  perform 1 from notify.ent_notification_rule r
  where r.id in (select (f ->> 'rule_id')::bigint from jsonb_array_elements(p_firings) f)
  order by r.id
  for share;

  for v_audience in
    select i.n, i.f ->> 'audience' as audience, r.enterprise_id, coalesce(i.f -> 'context', '{}') as context
      from jsonb_array_elements(p_firings) with ordinality as i (f, n)
      join notify.ent_notification_rule r on r.id = (i.f ->> 'rule_id')::bigint
        and r.updated_at = (i.f ->> 'rule_version')::timestamptz
        and r.publish_status = 'PUBLISH' and not r.deactivated
      join notify.ent_notification_workflow w on w.id = r.notification_workflow_id
     where i.f ? 'audience'
       and coalesce(i.f ->> 'outcome', '') not in ('skipped', 'failed')
       and notify_internal.is_usable_by(w.enterprise_id, w.publish_status, w.deactivated, r.enterprise_id)
     order by i.n
  loop
    begin
      v_recipients := notify_internal.resolve_audience(v_audience.audience, v_audience.enterprise_id, v_audience.context);
      v_audience_results[v_audience.n] := case
        when coalesce(cardinality(v_recipients), 0) = 0
          then jsonb_build_object('failure', format('audience %s returned no recipients', v_audience.audience))
        else jsonb_build_object('recipients', to_jsonb(v_recipients))
      end;
    exception when others then
      v_audience_results[v_audience.n] := jsonb_build_object(
        'failure', format('audience %s failed: %s', v_audience.audience, sqlerrm));
    end;
  end loop;

  return query
  with item as (
    select i.n, i.f,
      (i.f ->> 'rule_id')::bigint as rule_id,
      (i.f ->> 'rule_version')::timestamptz as rule_version,
      (i.f ->> 'fire_at')::timestamptz as fire_at,
      (i.f ->> 'event_id')::bigint as event_id,
      case when i.f ? 'audience' then v_audience_results[i.n] -> 'recipients' else i.f -> 'recipients' end as recipients
    from jsonb_array_elements(p_firings) with ordinality as i (f, n)
  ), judged as (
    select it.*, r.id is not null as fresh, r.name as rule_name, r.enterprise_id, r.rule_payload,
      w.id as workflow_id, w.default_channels,
      case
        when it.f ->> 'outcome' in ('skipped', 'failed') then it.f ->> 'reason'
        when not notify_internal.is_usable_by(w.enterprise_id, w.publish_status, w.deactivated, r.enterprise_id)
          then format('workflow %s is not published and active', w.workflow_key)
        when it.f ? 'audience' then v_audience_results[it.n] ->> 'failure'
        when jsonb_typeof(it.recipients) is distinct from 'array' or jsonb_array_length(it.recipients) = 0
          then 'no recipients'
        when exists (
          select from jsonb_array_elements(it.recipients) as x (recipient)
           where jsonb_typeof(x.recipient) <> 'string'
              or x.recipient #>> '{}' !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        ) then format('recipients: %s holds a value that is not a uuid', it.recipients)
      end as failure,
      -- A key given twice in one batch: the first is recorded, the second is a duplicate.
      row_number() over (partition by it.rule_id, it.rule_version, it.fire_at, it.event_id order by it.n) = 1
        as first_of_key
    from item it
    left join notify.ent_notification_rule r on r.id = it.rule_id
      and r.updated_at = it.rule_version
      and r.publish_status = 'PUBLISH' and not r.deactivated
    left join notify.ent_notification_workflow w on w.id = r.notification_workflow_id
  ), planned as (
    select j.*,
      case when j.fresh and j.first_of_key and j.failure is null
        then pg_catalog.nextval(v_notification_ids)
      end as notification_id
    from judged j
  ), fired as (
    insert into notify.rule_firing as f
      (enterprise_id, notification_rule_id, rule_version, fire_at, event_id, outcome, reason, notification_id)
    select p.enterprise_id, p.rule_id, p.rule_version, p.fire_at, p.event_id,
      case when p.failure is null then 'created' else coalesce(p.f ->> 'outcome', 'failed') end,
      p.failure, p.notification_id
    from planned p
    where p.fresh and p.first_of_key
    order by p.n
    on conflict do nothing
    returning f.id, f.notification_rule_id, f.rule_version, f.fire_at, f.event_id, f.outcome, f.reason, f.notification_id
  ), recorded as (
    select p.n, f.id as firing_id, f.outcome, f.reason, f.notification_id
    from fired f
    join planned p on p.first_of_key and p.rule_id = f.notification_rule_id and p.rule_version = f.rule_version
      and p.fire_at is not distinct from f.fire_at and p.event_id is not distinct from f.event_id
  ), created as (
    insert into notify.ent_notification
      (id, name, enterprise_id, notification_workflow_id, notification_rule_id, notification_priority_id,
       publish_status, payload, recipients, channels, overrides, tags, scheduled_for)
    overriding system value
    select c.notification_id,
      format('%s · %s · firing %s', p.rule_name,
        coalesce(to_char(p.fire_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'event ' || p.event_id),
        c.firing_id),
      p.enterprise_id, p.workflow_id, p.rule_id,
      (select pr.id from notify.typ_notification_priority pr
        where pr.code = p.rule_payload ->> 'priority'
          and (pr.enterprise_id is null or pr.enterprise_id = p.enterprise_id)
        order by pr.enterprise_id nulls last
        limit 1),
      'PUBLISH', p.f -> 'payload',
      array(select jsonb_array_elements_text(p.recipients))::uuid[],
      case when p.rule_payload ? 'channels'
        then array(select jsonb_array_elements_text(p.rule_payload -> 'channels'))::shared_types.notification_channel_type[]
        else p.default_channels
      end,
      p.rule_payload -> 'overrides',
      case when p.rule_payload ? 'tags' then array(select jsonb_array_elements_text(p.rule_payload -> 'tags')) end,
      p.fire_at
    from recorded c
    join planned p on p.n = c.n
    where c.notification_id is not null
  )
  select p.rule_id, p.fire_at, p.event_id, c.firing_id,
    case when not p.fresh then 'stale' when c.n is null then 'duplicate' else c.outcome end,
    case when not p.fresh then 'the rule changed since it was read' when c.n is null then 'already recorded' else c.reason end
  from planned p
  left join recorded c on c.n = p.n
  order by p.n;
end
$$;
