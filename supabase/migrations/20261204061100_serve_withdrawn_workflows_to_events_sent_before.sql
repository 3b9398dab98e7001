-- Events Novu already holds keep running when their workflow is withdrawn
-- (issue 11): unpublishing, deactivating, renaming or deleting a DYNAMIC
-- workflow while Novu still has events of it queued made every one of them
-- fail at the bridge (the bridge no longer served the workflow), and XNovu
-- never learned: Novu sends no message webhook for a step the bridge fails,
-- since no message exists yet (message webhooks come from Novu's send-message
-- usecases). Instead the bridge serves such an event the workflow as it was
-- when the notification was sent: the row as the bridge read it is kept when
-- it is withdrawn, and the bridge finds it for an execute call whose `_xnovu`
-- envelope names a notification SENT before the withdrawal. Discover never
-- lists it, so a later `novu sync` drops it from Novu as before.

create function notify_internal.bridge_workflow_row(p_workflow notify.ent_notification_workflow)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
  select jsonb_build_object(
    'id', (p_workflow).id::text,
    'workflow_key', (p_workflow).workflow_key,
    'workflow_type', (p_workflow).workflow_type::text,
    'name', (p_workflow).name,
    'description', (p_workflow).description,
    'enterprise_id', (p_workflow).enterprise_id::text,
    'default_channels', (p_workflow).default_channels::text[],
    'payload_schema', (p_workflow).payload_schema,
    'template_overrides', notify_internal.template_overrides_by_channel((p_workflow).template_overrides),
    'updated_at', (p_workflow).updated_at::text
  )
$$;
comment on function notify_internal.bridge_workflow_row(notify.ent_notification_workflow) is 'A workflow row as the bridge reads it (shared/workflows/plan.ts WorkflowRow): the published rows it lists and the withdrawn ones it still serves to events sent before.';
revoke execute on function notify_internal.bridge_workflow_row(notify.ent_notification_workflow) from public;
grant execute on function notify_internal.bridge_workflow_row(notify.ent_notification_workflow) to service_role;

create table notify_internal.withdrawn_workflow (
  id bigint generated always as identity primary key,
  workflow_id bigint not null,
  workflow_key text not null,
  enterprise_id uuid,
  bridge_row jsonb not null,
  -- The statement's time, not its transaction's: a notification marked SENT
  -- after the withdrawal never counts as sent before it.
  withdrawn_at timestamptz not null default clock_timestamp(),
  withdrawal text not null,
  constraint withdrawn_workflow_withdrawal_is_known check (
    withdrawal in ('unpublished', 'deactivated', 'renamed', 'deleted')
  )
);
comment on table notify_internal.withdrawn_workflow is 'Published, active DYNAMIC workflows as the bridge served them until they were unpublished, deactivated, renamed or deleted (withdrawn_at), so the bridge can still run the events Novu holds of notifications sent before. Written only by notify_internal.remember_withdrawn_workflow.';
create index withdrawn_workflow_key_idx on notify_internal.withdrawn_workflow (workflow_key, withdrawn_at);

create function notify_internal.remember_withdrawn_workflow() returns trigger
language plpgsql
-- Definer: members withdraw workflows of their enterprises but have no
-- privilege on notify_internal; only this trigger writes the table.
security definer
set search_path = ''
as $$
declare
  v_withdrawal text := case
    when tg_op = 'DELETE' then 'deleted'
    when new.publish_status <> 'PUBLISH' then 'unpublished'
    when new.deactivated then 'deactivated'
    when new.workflow_key <> old.workflow_key then 'renamed'
  end;
begin
  if old.workflow_type = 'DYNAMIC' and old.publish_status = 'PUBLISH' and not old.deactivated
     and v_withdrawal is not null then
    insert into notify_internal.withdrawn_workflow (workflow_id, workflow_key, enterprise_id, bridge_row, withdrawal)
    values (old.id, old.workflow_key, old.enterprise_id, notify_internal.bridge_workflow_row(old), v_withdrawal);
  end if;
  return null;
end
$$;
comment on function notify_internal.remember_withdrawn_workflow() is 'Trigger: keeps a published, active DYNAMIC workflow as the bridge read it when it is unpublished, deactivated, renamed or deleted.';
revoke execute on function notify_internal.remember_withdrawn_workflow() from public;

create trigger remember_withdrawn_workflow
  after update or delete on notify.ent_notification_workflow
  for each row
  execute function notify_internal.remember_withdrawn_workflow();

create function notify_internal.withdrawn_workflow_for_event(
  p_notification_id bigint,
  p_enterprise_id uuid,
  p_workflow_key text
) returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  -- The version withdrawn first after the notification was sent is the one it
  -- was sent with.
  select w.bridge_row
    from notify.ent_notification n
    join notify_internal.withdrawn_workflow w
      on w.workflow_key = p_workflow_key
     and (w.enterprise_id is null or w.enterprise_id = n.enterprise_id)
     and w.withdrawn_at >= n.processed_at
     -- Sent on that workflow (deleting it blanked the notification's reference).
     and w.workflow_id = coalesce(n.notification_workflow_id, w.workflow_id)
   where n.id = p_notification_id
     and n.enterprise_id = p_enterprise_id
     and n.notification_status = 'SENT'
   order by w.withdrawn_at, w.id
   limit 1
$$;
comment on function notify_internal.withdrawn_workflow_for_event(bigint, uuid, text) is 'The withdrawn workflow (bridge row) an event of the notification still runs on: the version of that key withdrawn first after the notification was SENT on it, in its enterprise or shared; null when the notification is not SENT (retracted, failed) or was sent after the withdrawal.';
revoke execute on function notify_internal.withdrawn_workflow_for_event(bigint, uuid, text) from public;
grant execute on function notify_internal.withdrawn_workflow_for_event(bigint, uuid, text) to service_role;
