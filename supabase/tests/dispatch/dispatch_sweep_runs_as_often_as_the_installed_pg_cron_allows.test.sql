begin;
select plan(8);

select is(notify_internal.dispatch_sweep_schedule('1.6'), '10 seconds', 'pg_cron 1.6 (hosted Supabase) sweeps every ten seconds');
select is(notify_internal.dispatch_sweep_schedule('1.5'), '10 seconds', 'pg_cron 1.5 is the first version with second intervals');
select is(notify_internal.dispatch_sweep_schedule('1.4-1'), '* * * * *', 'pg_cron 1.4 (Debian''s package) sweeps every minute');
select is(notify_internal.dispatch_sweep_schedule('10.0'), '10 seconds', 'versions compare as numbers, not text');
select is(notify_internal.dispatch_sweep_schedule('unknown'), '* * * * *', 'an unreadable version falls back to every minute');

select is(
  (select schedule from cron.job where jobname = 'xnovu-dispatch-sweep'),
  (select notify_internal.dispatch_sweep_schedule(extversion) collate "default" from pg_extension where extname = 'pg_cron'),
  'the installed sweep job uses the schedule its pg_cron version allows');
select is(
  (select command from cron.job where jobname = 'xnovu-dispatch-sweep'),
  'select notify_internal.kick_dispatcher_unconditionally()',
  'the sweep kicks the dispatcher');
select is(
  (select count(*) from cron.job where command like '%kick_dispatcher%'),
  1::bigint,
  'no other job kicks the dispatcher');

select * from finish();
rollback;
