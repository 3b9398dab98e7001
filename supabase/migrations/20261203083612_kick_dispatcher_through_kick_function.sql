-- One way to kick an edge function: the dispatcher's kick now goes through
-- notify_internal.kick_function (the rules engine's), so the pg_net call, its
-- headers and its timeout live in one place. Same behaviour as before.

create or replace function notify_internal.kick_dispatcher() returns void
language sql
-- Definer, as before: callers (triggers, pg_cron) keep needing no grant on
-- kick_function or the settings it reads.
security definer
set search_path = ''
as $$
  select notify_internal.kick_function('dispatcher', '{"reason": "enqueue"}')
$$;
comment on function notify_internal.kick_dispatcher() is 'Asks the dispatcher edge function (through pg_net, after commit) to process the queue now; does nothing when functions_url is unset or pg_net is absent, leaving the pg_cron sweep to pick the work up.';
