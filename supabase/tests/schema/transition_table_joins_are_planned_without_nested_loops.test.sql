begin;
select plan(2);

-- A trigger that reads both transition tables joins them; the planner takes a
-- transition table for small and would join them by a nested loop, quadratic
-- in the rows a statement touched (20261204160100_plan_every_transition_table_join_linearly.sql).
select cmp_ok(
  (select count(*)::int from pg_catalog.pg_trigger t
    where t.tgoldtable is not null and t.tgnewtable is not null
      and t.tgrelid::regclass::text like 'notify.%'),
  '>=', 4, 'there are triggers reading both transition tables to check');
select is_empty(
  $$select distinct t.tgfoid::regprocedure
      from pg_catalog.pg_trigger t
      join pg_catalog.pg_proc p on p.oid = t.tgfoid
     where t.tgoldtable is not null and t.tgnewtable is not null
       and t.tgrelid::regclass::text like 'notify.%'
       and not coalesce('enable_nestloop=off' = any (p.proconfig), false)$$,
  'every trigger function reading both transition tables of a notify table is planned without nested loops');

select * from finish();
rollback;
