-- Enterprise isolation (DESIGN section 3): RLS on every notify table, nothing
-- for anon, authenticated limited to the enterprises of its JWT through
-- notify_internal.caller_enterprise_ids(), service_role bypassing RLS.

revoke all on schema notify, notify_internal from public, anon;
revoke all on all tables in schema notify, notify_internal from public, anon;
revoke all on all sequences in schema notify, notify_internal from public, anon;
revoke all on all functions in schema notify, notify_internal from public, anon;
alter default privileges in schema notify, notify_internal revoke all on tables from public, anon;
alter default privileges in schema notify, notify_internal revoke all on sequences from public, anon;
alter default privileges in schema notify, notify_internal revoke execute on functions from public, anon;

grant usage on schema notify, notify_internal to authenticated, service_role;

grant select, insert, update, delete on
  notify.typ_notification_category,
  notify.typ_notification_priority,
  notify.ent_notification_template,
  notify.ent_notification_workflow,
  notify.ent_notification_rule,
  notify.ent_notification
to service_role;

grant select, insert, update, delete on
  notify.typ_notification_category,
  notify.typ_notification_priority,
  notify.ent_notification_template,
  notify.ent_notification_workflow,
  notify.ent_notification_rule
to authenticated;

-- Status columns are deliberately absent: authenticated changes status only
-- through notify.cancel_notification, never by insert or update.
grant select, delete on notify.ent_notification to authenticated;
grant insert (
  name, description, publish_status, deactivated, business_id, enterprise_id,
  created_at, updated_at, created_by, updated_by,
  notification_category_id, notification_priority_id, notification_workflow_id, notification_rule_id,
  payload, recipients, channels, overrides, tags, scheduled_for, workflow_version
), update (
  name, description, publish_status, deactivated, business_id, enterprise_id,
  created_at, updated_at, created_by, updated_by,
  notification_category_id, notification_priority_id, notification_workflow_id, notification_rule_id,
  payload, recipients, channels, overrides, tags, scheduled_for, workflow_version
) on notify.ent_notification to authenticated;
comment on column notify.ent_notification.notification_status is 'Delivery status. authenticated has no insert or update privilege on this column nor on processed_at, retracted_at, retraction_reason, error_details and transaction_id (column grants): status moves only through the status machine functions and notify.cancel_notification, all checked by the enforce_status_transition trigger.';

-- The status trigger runs as the updating role; service_role is the only
-- non-definer role with update privilege on notification_status.
grant execute on function notify_internal.is_legal_status_transition(shared_types.notification_status, shared_types.notification_status) to service_role;
grant execute on function notify_internal.assert_status_transition(shared_types.notification_status, shared_types.notification_status) to service_role;

-- The history is append-only: readable, written only by the status trigger.
grant select on notify.notification_status_history to authenticated, service_role;

alter table notify.typ_notification_category enable row level security;
alter table notify.typ_notification_priority enable row level security;
alter table notify.ent_notification_template enable row level security;
alter table notify.ent_notification_workflow enable row level security;
alter table notify.ent_notification_rule enable row level security;
alter table notify.ent_notification enable row level security;
alter table notify.notification_status_history enable row level security;

-- Shared rows (enterprise_id null) of the lookup and definition tables are
-- readable by every member and writable only by service_role.
do $$
declare
  v_table text;
begin
  foreach v_table in array array[
    'typ_notification_category', 'typ_notification_priority',
    'ent_notification_template', 'ent_notification_workflow'
  ] loop
    execute format($policy$
      create policy "members read their enterprises' and shared rows" on notify.%1$I
        for select to authenticated
        using (enterprise_id is null or enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]))
    $policy$, v_table);
  end loop;

  foreach v_table in array array['ent_notification_rule', 'ent_notification'] loop
    execute format($policy$
      create policy "members read their enterprises' rows" on notify.%1$I
        for select to authenticated
        using (enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]))
    $policy$, v_table);
  end loop;

  foreach v_table in array array[
    'typ_notification_category', 'typ_notification_priority', 'ent_notification_template',
    'ent_notification_workflow', 'ent_notification_rule', 'ent_notification'
  ] loop
    execute format($policy$
      create policy "members insert rows of their enterprises" on notify.%1$I
        for insert to authenticated
        with check (enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]))
    $policy$, v_table);
    execute format($policy$
      create policy "members update rows of their enterprises" on notify.%1$I
        for update to authenticated
        using (enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]))
        with check (enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]))
    $policy$, v_table);
    execute format($policy$
      create policy "members delete rows of their enterprises" on notify.%1$I
        for delete to authenticated
        using (enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]))
    $policy$, v_table);
  end loop;
end
$$;

create policy "members read their enterprises' status history" on notify.notification_status_history
  for select to authenticated
  using (enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]));
