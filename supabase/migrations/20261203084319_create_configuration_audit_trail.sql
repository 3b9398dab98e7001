-- Audit trail of the configuration tables (templates, workflows, rules,
-- priorities, categories): one row per inserted, updated or deleted row, with
-- who, when, and the old and new values of the columns that changed. Members
-- read the trail of their enterprises' rows (and of shared rows, which they
-- can read too); nobody writes it but the trigger. Notifications have their
-- own trail, notify.notification_status_history.

create table notify.configuration_audit (
  id bigint generated always as identity primary key,
  table_name text not null,
  row_id bigint not null,
  enterprise_id uuid,
  operation text not null,
  changed_at timestamptz not null default now(),
  changed_by uuid,
  changed_by_role text,
  old_values jsonb,
  new_values jsonb,
  constraint configuration_audit_operation_is_insert_update_or_delete
    check (operation in ('INSERT', 'UPDATE', 'DELETE')),
  constraint configuration_audit_records_what_changed
    check ((operation = 'INSERT' and old_values is null and new_values is not null)
        or (operation = 'UPDATE' and old_values is not null and new_values is not null)
        or (operation = 'DELETE' and old_values is not null and new_values is null))
);
comment on table notify.configuration_audit is 'Append-only trail of changes to templates, workflows, rules, priorities and categories: table, row, operation, who (auth.uid() and role), when, and the old and new values of the changed columns (all columns on insert and delete). Written only by notify_internal.record_configuration_change.';
create index configuration_audit_row_idx on notify.configuration_audit (table_name, row_id, changed_at);
create index configuration_audit_enterprise_idx on notify.configuration_audit (enterprise_id, changed_at);

alter table notify.configuration_audit enable row level security;
grant select on notify.configuration_audit to authenticated, service_role;
create policy "members read the audit trail of their enterprises' and shared rows" on notify.configuration_audit
  for select to authenticated
  using (enterprise_id is null or enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]));

create function notify_internal.record_configuration_change() returns trigger
language plpgsql
-- Definer: the trail is append-only and nobody, service_role included, has
-- write privileges on it; only this trigger writes it.
security definer
set search_path = ''
as $$
declare
  v_old jsonb := case when tg_op <> 'INSERT' then pg_catalog.to_jsonb(old) end;
  v_new jsonb := case when tg_op <> 'DELETE' then pg_catalog.to_jsonb(new) end;
  v_changed text[];
  v_row_id bigint := coalesce(v_new ->> 'id', v_old ->> 'id')::bigint;
  v_enterprise_id uuid := coalesce(v_new ->> 'enterprise_id', v_old ->> 'enterprise_id')::uuid;
begin
  if tg_op = 'UPDATE' then
    -- Only the columns whose values changed; updated_at/updated_by alone is no change.
    select array_agg(n.key) into v_changed
      from pg_catalog.jsonb_each(v_new) as n
     where n.value is distinct from v_old -> n.key
       and n.key not in ('updated_at', 'updated_by');
    if v_changed is null then
      return null;
    end if;
    v_old := (select pg_catalog.jsonb_object_agg(o.key, o.value) from pg_catalog.jsonb_each(v_old) as o where o.key = any (v_changed));
    v_new := (select pg_catalog.jsonb_object_agg(n.key, n.value) from pg_catalog.jsonb_each(v_new) as n where n.key = any (v_changed));
  end if;
  insert into notify.configuration_audit
    (table_name, row_id, enterprise_id, operation, changed_by, changed_by_role, old_values, new_values)
  values (
    tg_table_name,
    v_row_id,
    v_enterprise_id,
    tg_op,
    auth.uid(),
    coalesce(auth.role(), nullif(current_setting('role'), 'none'), session_user::text),
    v_old,
    v_new
  );
  return null;
end
$$;
comment on function notify_internal.record_configuration_change() is 'Trigger: writes one notify.configuration_audit row per inserted, updated (changed columns only, old and new) or deleted configuration row.';
revoke execute on function notify_internal.record_configuration_change() from public;

do $$
declare
  v_table text;
begin
  foreach v_table in array array[
    'ent_notification_template', 'ent_notification_workflow', 'ent_notification_rule',
    'typ_notification_priority', 'typ_notification_category'
  ] loop
    execute format(
      'create trigger record_configuration_change after insert or update or delete on notify.%I
         for each row execute function notify_internal.record_configuration_change()',
      v_table);
  end loop;
end
$$;
