-- What Novu must learn (issue 10): a workflow row published, edited (key, type,
-- name, description, channels, template overrides, payload or control schema,
-- enterprise), unpublished, deactivated or deleted is recorded as a change in
-- notify_internal.workflow_novu_sync and kicks the novu-sync function; the sync
-- tool of the static workflows asks the same through request_novu_sync. Edits of
-- rows Novu never sees (a draft staying a draft) change nothing.

create function notify_internal.record_novu_changes(p_workflows jsonb) returns integer
language plpgsql
-- Definer: editors of workflows (members for their enterprise, service_role)
-- have no privilege on the sync bookkeeping nor on kick_function.
security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  insert into notify_internal.workflow_novu_sync (workflow_id, workflow_key, change_id, changed_at)
  select w.id, w.workflow_key, nextval('notify_internal.workflow_novu_change_seq'), now()
    from jsonb_to_recordset(p_workflows) as w (id bigint, workflow_key text)
  on conflict (workflow_id) do update
    set workflow_key = excluded.workflow_key, change_id = excluded.change_id,
        changed_at = excluded.changed_at;
  get diagnostics v_count = row_count;
  if v_count > 0 then
    perform notify_internal.kick_function('novu-sync', '{"reason": "workflows changed"}');
  end if;
  return v_count;
end
$$;
comment on function notify_internal.record_novu_changes(jsonb) is 'Records a change Novu must learn for each workflow of p_workflows ([{id, workflow_key}]) and kicks the novu-sync function (through pg_net, after commit); returns how many were recorded.';
revoke execute on function notify_internal.record_novu_changes(jsonb) from public;
grant execute on function notify_internal.record_novu_changes(jsonb) to service_role;

create function notify_internal.record_workflow_changes_for_novu() returns trigger
language plpgsql
-- Definer: members editing their workflows may not execute record_novu_changes.
security definer
set search_path = ''
as $$
begin
  -- Novu sees a workflow while it is published and active (the bridge's discover).
  if tg_op = 'INSERT' then
    perform notify_internal.record_novu_changes(coalesce(jsonb_agg(jsonb_build_object(
      'id', n.id, 'workflow_key', n.workflow_key)), '[]'))
      from new_rows n
     where n.publish_status = 'PUBLISH' and not n.deactivated;
  elsif tg_op = 'DELETE' then
    perform notify_internal.record_novu_changes(coalesce(jsonb_agg(jsonb_build_object(
      'id', o.id, 'workflow_key', o.workflow_key)), '[]'))
      from old_rows o
     where o.publish_status = 'PUBLISH' and not o.deactivated;
  else
    perform notify_internal.record_novu_changes(coalesce(jsonb_agg(jsonb_build_object(
      'id', n.id, 'workflow_key', n.workflow_key)), '[]'))
      from old_rows o
      join new_rows n on n.id = o.id
     where ((o.publish_status = 'PUBLISH' and not o.deactivated)
            or (n.publish_status = 'PUBLISH' and not n.deactivated))
       and (o.workflow_key, o.workflow_type, o.name, o.description, o.publish_status,
            o.deactivated, o.enterprise_id, o.default_channels, o.template_overrides,
            o.payload_schema, o.control_schema)
           is distinct from
           (n.workflow_key, n.workflow_type, n.name, n.description, n.publish_status,
            n.deactivated, n.enterprise_id, n.default_channels, n.template_overrides,
            n.payload_schema, n.control_schema);
  end if;
  return null;
end
$$;
comment on function notify_internal.record_workflow_changes_for_novu() is 'Statement trigger on notify.ent_notification_workflow: records, for Novu''s next sync, every workflow published, edited while published, unpublished, deactivated or deleted by the statement.';
revoke execute on function notify_internal.record_workflow_changes_for_novu() from public;

create trigger record_inserted_workflows_for_novu
  after insert on notify.ent_notification_workflow
  referencing new table as new_rows
  for each statement execute function notify_internal.record_workflow_changes_for_novu();
create trigger record_updated_workflows_for_novu
  after update on notify.ent_notification_workflow
  referencing old table as old_rows new table as new_rows
  for each statement execute function notify_internal.record_workflow_changes_for_novu();
create trigger record_deleted_workflows_for_novu
  after delete on notify.ent_notification_workflow
  referencing old table as old_rows
  for each statement execute function notify_internal.record_workflow_changes_for_novu();

create function notify_internal.request_novu_sync(p_workflow_keys text[]) returns integer
language sql
security invoker
set search_path = ''
as $$
  select notify_internal.record_novu_changes(coalesce(jsonb_agg(jsonb_build_object(
    'id', w.id, 'workflow_key', w.workflow_key)), '[]'))
    from notify.ent_notification_workflow w
   where w.workflow_key = any (p_workflow_keys)
$$;
comment on function notify_internal.request_novu_sync(text[]) is 'Asks for a Novu sync covering these workflows even though their rows did not change (tools/sync-workflows.ts after the static workflows'' code was deployed): their notifications wait for it.';
revoke execute on function notify_internal.request_novu_sync(text[]) from public;
grant execute on function notify_internal.request_novu_sync(text[]) to service_role;

-- Workflows Novu may or may not know yet when this migration runs: sync them once.
select notify_internal.record_novu_changes(coalesce(jsonb_agg(jsonb_build_object(
  'id', w.id, 'workflow_key', w.workflow_key)), '[]'))
  from notify.ent_notification_workflow w
 where w.publish_status = 'PUBLISH' and not w.deactivated;
