begin;
select plan(1);

select results_eq(
  $$select schedule, command from cron.job where jobname = 'xnovu-rules-tick'$$,
  $$values ('* * * * *', 'select notify_internal.kick_rules_engine()')$$,
  'pg_cron kicks the rules scheduler and the event worker every minute');

select * from finish();
rollback;
