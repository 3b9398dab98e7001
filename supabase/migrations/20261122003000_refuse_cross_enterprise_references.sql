-- A row may reference (workflow, category, priority, rule) only rows of its own
-- enterprise or shared rows (enterprise_id null), whoever writes it: RLS keeps a
-- member from reading another enterprise's rows, but a foreign key alone would
-- let any writer, service_role included, point a notification at another
-- enterprise's workflow. Statement-level checks over the transition table keep
-- bulk inserts cheap.

create function notify_internal.refuse_cross_enterprise_references() returns trigger
language plpgsql
-- Definer: the check must see the referenced row whatever the writer may read;
-- under the writer's RLS another enterprise's row would be invisible and pass.
security definer
set search_path = ''
as $$
declare
  v_column text;
  v_referenced_table text;
  v_offender bigint;
begin
  -- tg_argv holds (column, referenced table) pairs.
  for i in 0 .. tg_nargs / 2 - 1 loop
    v_column := tg_argv[i * 2];
    v_referenced_table := tg_argv[i * 2 + 1];
    execute format(
      'select n.id from new_rows n join notify.%I r on r.id = n.%I
        where r.enterprise_id is not null and r.enterprise_id is distinct from n.enterprise_id
        limit 1',
      v_referenced_table, v_column
    ) into v_offender;
    if v_offender is not null then
      -- The message names the writer's own row only: nothing about the other enterprise.
      raise exception '%.% of row % references a % of another enterprise',
        tg_table_name, v_column, v_offender, v_referenced_table
        using errcode = 'foreign_key_violation',
          hint = 'reference a row of the same enterprise or a shared one (enterprise_id null)';
    end if;
  end loop;
  return null;
end
$$;
comment on function notify_internal.refuse_cross_enterprise_references() is 'Statement trigger (arguments: column, referenced table pairs): refuses rows that reference another enterprise''s workflow, category, priority or rule.';
revoke execute on function notify_internal.refuse_cross_enterprise_references() from public;

-- Transition tables allow one event per trigger, hence an insert and an update trigger each.
create trigger refuse_cross_enterprise_references_on_insert
  after insert on notify.ent_notification
  referencing new table as new_rows
  for each statement
  execute function notify_internal.refuse_cross_enterprise_references(
    'notification_workflow_id', 'ent_notification_workflow',
    'notification_category_id', 'typ_notification_category',
    'notification_priority_id', 'typ_notification_priority',
    'notification_rule_id', 'ent_notification_rule'
  );
create trigger refuse_cross_enterprise_references_on_update
  after update on notify.ent_notification
  referencing new table as new_rows
  for each statement
  execute function notify_internal.refuse_cross_enterprise_references(
    'notification_workflow_id', 'ent_notification_workflow',
    'notification_category_id', 'typ_notification_category',
    'notification_priority_id', 'typ_notification_priority',
    'notification_rule_id', 'ent_notification_rule'
  );

create trigger refuse_cross_enterprise_references_on_insert
  after insert on notify.ent_notification_rule
  referencing new table as new_rows
  for each statement
  execute function notify_internal.refuse_cross_enterprise_references(
    'notification_workflow_id', 'ent_notification_workflow'
  );
create trigger refuse_cross_enterprise_references_on_update
  after update on notify.ent_notification_rule
  referencing new table as new_rows
  for each statement
  execute function notify_internal.refuse_cross_enterprise_references(
    'notification_workflow_id', 'ent_notification_workflow'
  );

create trigger refuse_cross_enterprise_references_on_insert
  after insert on notify.ent_notification_workflow
  referencing new table as new_rows
  for each statement
  execute function notify_internal.refuse_cross_enterprise_references(
    'notification_category_id', 'typ_notification_category'
  );
create trigger refuse_cross_enterprise_references_on_update
  after update on notify.ent_notification_workflow
  referencing new table as new_rows
  for each statement
  execute function notify_internal.refuse_cross_enterprise_references(
    'notification_category_id', 'typ_notification_category'
  );

create trigger refuse_cross_enterprise_references_on_insert
  after insert on notify.ent_notification_template
  referencing new table as new_rows
  for each statement
  execute function notify_internal.refuse_cross_enterprise_references(
    'notification_category_id', 'typ_notification_category'
  );
create trigger refuse_cross_enterprise_references_on_update
  after update on notify.ent_notification_template
  referencing new table as new_rows
  for each statement
  execute function notify_internal.refuse_cross_enterprise_references(
    'notification_category_id', 'typ_notification_category'
  );
