-- Live edits: any change to a rule (its schedule, time zone, payload,
-- recipients, publishing, deactivation) or its deletion retracts the
-- notifications it had materialised for instants still in the future, with a
-- reason naming the rule and what changed. The scheduler then plans the new
-- version (the rule's updated_at) from the time of the edit, and is kicked so
-- it does so at once rather than at the next tick.

create function notify_internal.retract_future_rule_firings() returns trigger
language plpgsql
-- Definer: the editing member may not move notification status (column
-- grants) nor write firings; this is the engine's bookkeeping of their edit.
security definer
set search_path = ''
as $$
declare
  v_reason text;
begin
  if tg_op = 'DELETE' then
    v_reason := format('rule %s "%s" was deleted', old.id, old.name);
  else
    v_reason := format('rule %s "%s" changed (%s)', old.id, old.name, coalesce((
      select string_agg(o.key, ', ' order by o.key)
      from jsonb_each(to_jsonb(old)) o
      join jsonb_each(to_jsonb(new)) n using (key)
      where o.value is distinct from n.value and o.key not in ('updated_at', 'updated_by')
    ), 'saved'));
  end if;

  with retracted_firings as (
    update notify.rule_firing f
    set outcome = 'retracted', reason = v_reason
    from notify.ent_notification n
    where f.notification_rule_id = old.id
      and f.outcome = 'created'
      and f.fire_at is not null
      and n.id = f.notification_id
      and n.notification_status = 'PENDING'
      and n.scheduled_for > now()
    returning n.id
  )
  update notify.ent_notification n
  set notification_status = 'RETRACTED', retraction_reason = v_reason
  where n.id in (select r.id from retracted_firings r);
  -- A before delete trigger that returned null would cancel the delete.
  return old;
end
$$;
comment on function notify_internal.retract_future_rule_firings() is 'Trigger: on an update or delete of a rule, retracts the PENDING notifications it materialised for future instants and marks their firings retracted, with a reason naming the rule and the changed columns.';
revoke execute on function notify_internal.retract_future_rule_firings() from public;

create trigger retract_future_firings_on_update
  after update on notify.ent_notification_rule
  for each row
  execute function notify_internal.retract_future_rule_firings();
-- Before the delete: its foreign key actions clear notification_rule_id.
create trigger retract_future_firings_on_delete
  before delete on notify.ent_notification_rule
  for each row
  execute function notify_internal.retract_future_rule_firings();

create function notify_internal.kick_rules_scheduler() returns trigger
language plpgsql
-- Definer: kick_function reads the service role key, which the editor may not.
security definer
set search_path = ''
as $$
begin
  perform notify_internal.kick_function('rules-scheduler', '{"reason": "rule changed"}');
  return null;
end
$$;
comment on function notify_internal.kick_rules_scheduler() is 'Statement trigger: asks the scheduler to plan the changed rules now (once per statement).';
revoke execute on function notify_internal.kick_rules_scheduler() from public;

create trigger kick_rules_scheduler_on_change
  after insert or update on notify.ent_notification_rule
  for each statement
  execute function notify_internal.kick_rules_scheduler();
