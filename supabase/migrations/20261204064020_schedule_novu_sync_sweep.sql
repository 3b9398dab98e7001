-- The safety net behind the novu-sync kick: pg_cron kicks the function while
-- workflows await a sync, so a lost kick or a failed sync (once its backoff has
-- passed) is still synced. Same schedule as the dispatch sweep: every 10 s where
-- pg_cron >= 1.5 (hosted), else every minute.

create function notify_internal.kick_novu_sync_when_awaited() returns void
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if exists (select from notify_internal.workflow_awaiting_novu_sync) then
    perform notify_internal.kick_function('novu-sync', '{"reason": "sweep"}');
  end if;
end
$$;
comment on function notify_internal.kick_novu_sync_when_awaited() is 'The pg_cron sweep: kicks the novu-sync function when some workflow awaits a Novu sync (its debounce and backoff decide when the sync runs).';
revoke execute on function notify_internal.kick_novu_sync_when_awaited() from public;
grant execute on function notify_internal.kick_novu_sync_when_awaited() to service_role;

do $$
declare
  v_version text := (select e.extversion from pg_catalog.pg_extension e where e.extname = 'pg_cron');
begin
  if v_version is null then
    raise notice 'pg_cron is not installed: the Novu sync sweep is not scheduled';
    return;
  end if;
  perform cron.schedule('xnovu-novu-sync-sweep', notify_internal.dispatch_sweep_schedule(v_version),
    'select notify_internal.kick_novu_sync_when_awaited()');
end
$$;
