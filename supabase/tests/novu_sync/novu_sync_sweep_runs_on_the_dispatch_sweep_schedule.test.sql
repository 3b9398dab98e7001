begin;
select plan(2);

select is(
  (select schedule from cron.job where jobname = 'xnovu-novu-sync-sweep'),
  (select notify_internal.dispatch_sweep_schedule(extversion) from pg_catalog.pg_extension where extname = 'pg_cron'),
  'the Novu sync sweep runs on the dispatch sweep''s schedule for the installed pg_cron');
select is(
  (select command from cron.job where jobname = 'xnovu-novu-sync-sweep'),
  'select notify_internal.kick_novu_sync_when_awaited()',
  'it kicks the novu-sync function (which syncs only what awaits a sync)');

select * from finish();
rollback;
