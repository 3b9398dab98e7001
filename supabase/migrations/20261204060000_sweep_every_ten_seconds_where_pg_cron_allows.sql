-- The dispatch sweep is the safety net behind the enqueue kick. pg_cron 1.5
-- added second intervals ('10 seconds'); hosted Supabase ships pg_cron 1.6, so
-- there the sweep runs every ten seconds and a lost kick or an expired
-- visibility timeout costs at most ten seconds. Older pg_cron (the local
-- platform's Debian package is 1.4) only has minute schedules and keeps the
-- per-minute sweep. The migration decides from the installed version, so no
-- one has to reschedule the job by hand after `supabase db push`.
-- Source: pg_cron's changelog, v1.5.0 "Add support for scheduling jobs in
-- seconds" (https://github.com/citusdata/pg_cron/blob/main/CHANGELOG.md).

create function notify_internal.dispatch_sweep_schedule(p_pg_cron_version text) returns text
language sql
immutable
security invoker
set search_path = ''
as $$
  select case
    when (pg_catalog.regexp_match(p_pg_cron_version, '^([0-9]+)\.([0-9]+)')) is null then '* * * * *'
    when array[(pg_catalog.regexp_match(p_pg_cron_version, '^([0-9]+)\.([0-9]+)'))[1]::integer,
               (pg_catalog.regexp_match(p_pg_cron_version, '^([0-9]+)\.([0-9]+)'))[2]::integer]
         >= array[1, 5] then '10 seconds'
    else '* * * * *'
  end
$$;
comment on function notify_internal.dispatch_sweep_schedule(text) is 'The dispatch sweep''s pg_cron schedule for pg_cron version p_pg_cron_version: ''10 seconds'' from 1.5 on (second intervals), else every minute (also for a version it cannot read).';
revoke execute on function notify_internal.dispatch_sweep_schedule(text) from public;

do $$
declare
  v_version text := (select e.extversion from pg_catalog.pg_extension e where e.extname = 'pg_cron');
begin
  if v_version is null then
    raise notice 'pg_cron is not installed: the dispatch sweep is not scheduled';
    return;
  end if;
  -- cron.schedule with an existing job name updates that job.
  perform cron.schedule(
    'xnovu-dispatch-sweep',
    notify_internal.dispatch_sweep_schedule(v_version),
    'select notify_internal.kick_dispatcher()'
  );
end
$$;
