-- Every dispatcher kick (enqueue, reschedule, retraction, the sweep) now also
-- kicks dispatcher-express, the function that takes only express batches (the
-- urgent queue and short lanes) in an isolate of its own, so that a quiet
-- enterprise's notification or a fire alarm is not served on the thread busy
-- with another enterprise's flood (issue 9; shared/dispatch/service.ts). The
-- dispatcher still serves everything, so nothing depends on the second kick;
-- an express kick that finds nothing to serve ends at once.

create or replace function notify_internal.kick_dispatcher() returns void
language sql
-- Definer, as before: callers (triggers, pg_cron) keep needing no grant on
-- kick_function or the settings it reads.
security definer
set search_path = ''
as $$
  select notify_internal.kick_function('dispatcher', '{"reason": "enqueue"}');
  select notify_internal.kick_function('dispatcher-express', '{"reason": "enqueue"}');
$$;
comment on function notify_internal.kick_dispatcher() is 'Asks the dispatcher and dispatcher-express edge functions (through pg_net, after commit) to process the queues now; does nothing when functions_url is unset or pg_net is absent, leaving the pg_cron sweep to pick the work up.';
