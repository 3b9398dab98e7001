-- Engines cache compiled templates; a NOTIFY per changed row lets every
-- listening function drop what depends on it as soon as the change commits
-- (NOTIFY is delivered at commit, never for a rolled back change).

create function notify_internal.notify_template_changed() returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform pg_catalog.pg_notify('xnovu_template_changed', pg_catalog.json_build_object(
      'id', old.id, 'template_key', old.template_key, 'enterprise_id', old.enterprise_id)::text);
  end if;
  -- An insert, or an update that changed how the row is found, also names the new row.
  if tg_op = 'INSERT' or (tg_op = 'UPDATE' and (new.template_key is distinct from old.template_key
    or new.enterprise_id is distinct from old.enterprise_id))
  then
    perform pg_catalog.pg_notify('xnovu_template_changed', pg_catalog.json_build_object(
      'id', new.id, 'template_key', new.template_key, 'enterprise_id', new.enterprise_id)::text);
  end if;
  return null;
end
$$;
comment on function notify_internal.notify_template_changed() is
  'Trigger: NOTIFY xnovu_template_changed with {"id", "template_key", "enterprise_id"} (enterprise_id null for a shared template) for every inserted, updated or deleted template row, the old and the new identity when the key or enterprise changed. Listeners (shared/db/template-change-listener.ts) invalidate their template caches with it.';
revoke execute on function notify_internal.notify_template_changed() from public, anon;

create trigger notify_template_changed
  after insert or update or delete on notify.ent_notification_template
  for each row execute function notify_internal.notify_template_changed();
