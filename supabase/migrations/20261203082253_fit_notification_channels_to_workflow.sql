-- A notification's channels narrow its workflow's (default_channels). The
-- column's default, {IN_APP}, is the platform's contract and stays; a direct
-- insert that leaves it there for a workflow that does not offer IN_APP (an
-- EMAIL-only one, say) used to FAIL a second later with "none of the
-- notification's channels is offered". Decision: channels equal to the default
-- {IN_APP} on such a workflow mean "not narrowed": the row takes the
-- workflow's channels, as /functions/v1/trigger does when channels is left out
-- (a trigger cannot tell a default from an explicit {IN_APP}, and IN_APP alone
-- could never be delivered by that workflow). Any other channels that share
-- none with the workflow's are refused at once, naming the workflow's
-- channels, by direct inserts and /trigger alike. Statement-level, so bulk
-- inserts pay one join.

create function notify_internal.fit_channels_to_workflow() returns trigger
language plpgsql
-- Definer: the check reads the workflow whatever the writer may read, and
-- writes channels for writers whose column grants do not include it.
security definer
set search_path = ''
as $$
declare
  v_ids bigint[];
  v_offender record;
begin
  -- Rows whose channels share none with their workflow's: inserted ones, or
  -- updated ones whose channels or workflow changed (an update that changes
  -- neither, such as a status move, is never refused here). Two queries
  -- because old_rows exists only in the update trigger; plpgsql plans each on
  -- first use.
  if tg_op = 'INSERT' then
    select array_agg(r.id) into v_ids
      from new_rows r
      join notify.ent_notification_workflow w on w.id = r.notification_workflow_id
     where not (r.channels && w.default_channels);
  else
    select array_agg(r.id) into v_ids
      from new_rows r
      join old_rows o on o.id = r.id
      join notify.ent_notification_workflow w on w.id = r.notification_workflow_id
     where (r.channels is distinct from o.channels
            or r.notification_workflow_id is distinct from o.notification_workflow_id)
       and not (r.channels && w.default_channels);
  end if;
  if v_ids is null then
    return null;
  end if;

  -- Left at the default: the workflow's channels.
  update notify.ent_notification n
     set channels = w.default_channels
    from notify.ent_notification_workflow w
   where n.id = any (v_ids)
     and w.id = n.notification_workflow_id
     and n.channels = '{IN_APP}';

  select n.name, n.channels, w.workflow_key, w.default_channels into v_offender
    from notify.ent_notification n
    join notify.ent_notification_workflow w on w.id = n.notification_workflow_id
   where n.id = any (v_ids)
     and not (n.channels && w.default_channels)
   order by n.id
   limit 1;
  if found then
    raise exception '%', format('notification "%s": none of its channels %s is offered by workflow "%s", which sends on %s',
        v_offender.name, v_offender.channels, v_offender.workflow_key, v_offender.default_channels)
      using errcode = 'check_violation',
        constraint = 'ent_notification_channels_offered_by_its_workflow',
        hint = format('workflow "%s" sends on %s: name some of them, or leave channels at its default to send on all of them',
          v_offender.workflow_key, array_to_string(v_offender.default_channels, ', '));
  end if;
  return null;
end
$$;
comment on function notify_internal.fit_channels_to_workflow() is 'Statement trigger: a notification whose channels are the column default {IN_APP} on a workflow that does not offer IN_APP takes the workflow''s default_channels; one whose channels share none with its workflow''s (on insert, or when an update changes its channels or workflow) is refused (23514, constraint ent_notification_channels_offered_by_its_workflow, hint naming the workflow''s channels). A null channels or default_channels restricts nothing.';
revoke execute on function notify_internal.fit_channels_to_workflow() from public;

-- Transition tables allow one event per trigger, hence an insert and an update
-- trigger. Named to fire after refuse_cross_enterprise_references_* (statement
-- triggers fire in name order), so a reference to another enterprise's workflow
-- is refused as such before its channels could be named in a message.
create trigger validate_channels_against_workflow_on_insert
  after insert on notify.ent_notification
  referencing new table as new_rows
  for each statement
  execute function notify_internal.fit_channels_to_workflow();
create trigger validate_channels_against_workflow_on_update
  after update on notify.ent_notification
  referencing old table as old_rows new table as new_rows
  for each statement
  execute function notify_internal.fit_channels_to_workflow();
