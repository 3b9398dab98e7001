-- The safety net behind the enqueue kick: pg_cron kicks the dispatcher every
-- minute, so messages that became visible later (scheduled_for, retry backoff,
-- a crashed batch's visibility timeout) or whose kick was lost are still sent.
--
-- Hosted Supabase ships pg_cron >= 1.5, which accepts second intervals; there,
-- reschedule the job to tick every ten seconds:
--   select cron.schedule('xnovu-dispatch-sweep', '10 seconds',
--     $$select notify_internal.kick_dispatcher()$$);
-- The local platform's pg_cron (1.4) only has minute schedules. The kick reads
-- functions_url and service_role_key through notify_internal.setting(): Vault
-- secrets xnovu_functions_url / xnovu_service_role_key on hosted, the
-- notify_internal.local_setting table here.

do $$
begin
  if to_regnamespace('cron') is null then
    raise notice 'pg_cron is not installed: the dispatch sweep is not scheduled';
    return;
  end if;
  -- cron.schedule with an existing job name updates that job, so re-running
  -- this keeps exactly one sweep.
  perform cron.schedule(
    'xnovu-dispatch-sweep',
    '* * * * *',
    'select notify_internal.kick_dispatcher()'
  );
end
$$;
