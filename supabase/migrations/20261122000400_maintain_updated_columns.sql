-- updated_at/updated_by must reflect the last change whoever makes it, so a
-- trigger sets them instead of trusting callers.

create function notify_internal.set_updated_columns() returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  new.updated_at := now();
  new.updated_by := auth.user_id();
  return new;
end
$$;
comment on function notify_internal.set_updated_columns() is 'Trigger: stamps updated_at with now() and updated_by with the caller (auth.user_id()) on every update.';
revoke execute on function notify_internal.set_updated_columns() from public;

do $$
declare
  v_table text;
begin
  foreach v_table in array array[
    'typ_notification_category', 'typ_notification_priority', 'ent_notification_template',
    'ent_notification_workflow', 'ent_notification_rule', 'ent_notification'
  ] loop
    execute format(
      'create trigger set_updated_columns before update on notify.%I '
      'for each row execute function notify_internal.set_updated_columns()',
      v_table
    );
  end loop;
end
$$;
