-- Secrets and endpoints the database needs to call the edge functions. Hosted
-- projects keep them in Vault (secret name xnovu_<name>); the local platform has
-- no Vault and writes them into notify_internal.local_setting on start.

create table notify_internal.local_setting (
  name text primary key,
  value text not null,
  constraint local_setting_name_is_lower_snake_case check (name ~ '^[a-z][a-z0-9_]*$')
);
comment on table notify_internal.local_setting is 'Local fallback for the Vault secrets xnovu_<name> (functions_url, service_role_key); written by the local platform, read only through notify_internal.setting().';
alter table notify_internal.local_setting enable row level security;
revoke all on table notify_internal.local_setting from public, anon, authenticated, service_role;

create function notify_internal.setting(p_name text) returns text
language plpgsql
stable
-- Definer: the value may be a secret (service_role_key); callers get the one
-- value they ask for, never read access to Vault or the fallback table.
security definer
set search_path = ''
as $$
declare
  v_value text;
begin
  if to_regclass('vault.decrypted_secrets') is not null then
    execute 'select decrypted_secret from vault.decrypted_secrets where name = $1 limit 1'
      into v_value
      using 'xnovu_' || p_name;
  end if;
  if v_value is null then
    select s.value into v_value from notify_internal.local_setting s where s.name = p_name;
  end if;
  return v_value;
end
$$;
comment on function notify_internal.setting(text) is 'The XNovu setting p_name: Vault secret xnovu_<p_name> where Vault has it, else notify_internal.local_setting; null when unset.';
revoke execute on function notify_internal.setting(text) from public;
grant execute on function notify_internal.setting(text) to service_role;
