-- The database's kicks (enqueue, pg_cron sweep and ticks, rule edits, events)
-- carry XNovu's own kick secret instead of the service role key. Supabase's
-- new API keys (sb_secret_...) are not JWTs, so a JWT-checking gateway
-- (verify_jwt) cannot stand between the database and these functions under
-- both key models; the functions (dispatcher, rules-scheduler, rule-events)
-- set verify_jwt = false and compare this secret in constant time
-- (shared/http/kick.ts). Setting kick_secret: Vault secret xnovu_kick_secret
-- on hosted (the same value as the function secret XNOVU_KICK_SECRET),
-- notify_internal.local_setting here.

create or replace function notify_internal.kick_function(p_function text, p_body jsonb) returns void
language plpgsql
-- Definer: reads the kick secret through notify_internal.setting() and calls
-- net.http_post, neither of which the calling role may use itself.
security definer
set search_path = ''
as $$
declare
  v_functions_url text := notify_internal.setting('functions_url');
begin
  if v_functions_url is null or to_regnamespace('net') is null then
    return;
  end if;
  -- Dynamic SQL so this compiles where pg_net is not installed.
  execute 'select net.http_post(url := $1, body := $2, headers := $3, timeout_milliseconds := $4)'
    using
      v_functions_url || '/' || p_function,
      p_body,
      jsonb_build_object(
        'Content-Type', 'application/json',
        'Authorization', 'Bearer ' || coalesce(notify_internal.setting('kick_secret'), '')
      ),
      5000;
end
$$;
comment on function notify_internal.kick_function(text, jsonb) is 'POSTs p_body to edge function p_function with the kick secret (setting kick_secret) as its bearer token, through pg_net after commit; does nothing when functions_url is unset or pg_net is absent.';
