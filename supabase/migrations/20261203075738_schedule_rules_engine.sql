-- How the database wakes the rules engine: a pg_net POST to one of its edge
-- functions (rules-scheduler materialises CRON and SCHEDULE firings ahead of
-- their instants; rule-events drains the rule_events queue), kicked on new
-- events and rule edits, with a pg_cron tick every minute as the driver of the
-- look-ahead and the safety net. On hosted pg_cron >= 1.5 reschedule the tick
-- to '10 seconds' (a shorter look-ahead then suffices, see README "Rules"):
--   select cron.schedule('xnovu-rules-tick', '10 seconds', $$select notify_internal.kick_rules_engine()$$);

create function notify_internal.kick_function(p_function text, p_body jsonb) returns void
language plpgsql
-- Definer: reads the service role key through notify_internal.setting() and
-- calls net.http_post, neither of which the calling role may use itself.
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
        'Authorization', 'Bearer ' || coalesce(notify_internal.setting('service_role_key'), '')
      ),
      5000;
end
$$;
comment on function notify_internal.kick_function(text, jsonb) is 'POSTs p_body to edge function p_function with the service role key (through pg_net, after commit); does nothing when functions_url is unset or pg_net is absent.';
revoke execute on function notify_internal.kick_function(text, jsonb) from public;
grant execute on function notify_internal.kick_function(text, jsonb) to service_role;

create function notify_internal.kick_rules_engine() returns void
language sql
security invoker
set search_path = ''
as $$
  select notify_internal.kick_function('rules-scheduler', '{"reason": "tick"}');
  select notify_internal.kick_function('rule-events', '{"reason": "tick"}');
$$;
comment on function notify_internal.kick_rules_engine() is 'The pg_cron tick: asks rules-scheduler to materialise the firings due within the look-ahead window and rule-events to drain what is queued.';
revoke execute on function notify_internal.kick_rules_engine() from public;
grant execute on function notify_internal.kick_rules_engine() to service_role;

do $$
begin
  if to_regnamespace('cron') is null then
    raise notice 'pg_cron is not installed: the rules engine tick is not scheduled';
    return;
  end if;
  perform cron.schedule('xnovu-rules-tick', '* * * * *', 'select notify_internal.kick_rules_engine()');
end
$$;
