begin;
select plan(2);

select results_eq(
  $$select schedule, command from cron.job where jobname = 'xnovu-dispatch-sweep'$$,
  $$values ('* * * * *'::text, 'select notify_internal.kick_dispatcher()'::text)$$,
  'one sweep job kicks the dispatcher every minute');
select is(
  (select count(*) from cron.job where command like '%kick_dispatcher%'),
  1::bigint,
  'no other job kicks the dispatcher');

select * from finish();
rollback;
