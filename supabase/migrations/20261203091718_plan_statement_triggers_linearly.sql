-- Two statement triggers were quadratic in the rows a statement touched.
--
-- notify_internal.fit_channels_to_workflow matched the rows to fit with
-- `id = any (v_ids)`, evaluated row by row against the whole array; the ids
-- are joined as a set instead.

create or replace function notify_internal.fit_channels_to_workflow() returns trigger
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
    from pg_catalog.unnest(v_ids) as c (id), notify.ent_notification_workflow w
   where n.id = c.id
     and w.id = n.notification_workflow_id
     and n.channels = '{IN_APP}';

  select n.name, n.channels, w.workflow_key, w.default_channels into v_offender
    from pg_catalog.unnest(v_ids) as c (id)
    join notify.ent_notification n on n.id = c.id
    join notify.ent_notification_workflow w on w.id = n.notification_workflow_id
   where not (n.channels && w.default_channels)
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


-- The planner estimates a transition table at a fixed size and its filtered
-- rows at one, so it joins new_rows with old_rows by a nested loop: quadratic
-- in the rows a statement changed: 2,000 updated rows cost 3.4 s in
-- retime_rescheduled_notifications alone, and a 10,000-row insert on an
-- EMAIL-only workflow (every row fitted to the workflow's channels by one
-- update) took about 80 s. Both statement
-- triggers that join the transition tables are planned without nested loops,
-- which leaves hash joins: linear.
alter function notify_internal.fit_channels_to_workflow() set enable_nestloop = off;
alter function notify_internal.retime_rescheduled_notifications() set enable_nestloop = off;
