-- Fitting a notification's channels read the whole ent_notification table.
-- The rows to fit were joined as unnest(v_ids) with the table, and the
-- function plans without nested loops (20261204160100, for its join of the
-- transition tables), so the only joins left were hash and merge joins over
-- every notification: one inserted notification with the default channels on
-- a workflow without IN_APP took 280 ms on a platform holding 1,800,000
-- notifications, and grew with the table. The update and the check now take
-- their rows by `id = any (v_ids)`, an index condition on the primary key, so
-- a statement costs one probe per fitted row whatever the table holds, and a
-- large statement stays linear (the array is no longer a filter evaluated row
-- by row, as it was before 20261203091718, but the index scan's keys).

create or replace function notify_internal.fit_channels_to_workflow() returns trigger
language plpgsql
-- Definer: the check reads the workflow whatever the writer may read, and
-- writes channels for writers whose column grants do not include it.
security definer
set search_path = ''
-- The transition-table join of the update branch (see 20261204160100).
set enable_nestloop = off
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
  -- `id = any (v_ids)` is an index condition: one primary-key probe per id.
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
