begin;
select plan(9);

select ok(notify_internal.is_usable_by(tests.enterprise_a(), 'PUBLISH', false, tests.enterprise_a()), 'its own published, active row is usable');
select ok(notify_internal.is_usable_by(null, 'PUBLISH', false, tests.enterprise_a()), 'a shared published, active row is usable');
select ok(not notify_internal.is_usable_by(tests.enterprise_b(), 'PUBLISH', false, tests.enterprise_a()), 'another enterprise''s row never is');
select ok(not notify_internal.is_usable_by(tests.enterprise_b(), 'DRAFT', false, tests.enterprise_a(), p_in_any_status => true), 'another enterprise''s row never is, in any status');
select ok(not notify_internal.is_usable_by(tests.enterprise_a(), 'DRAFT', false, tests.enterprise_a()), 'a draft is not usable');
select ok(not notify_internal.is_usable_by(null, 'PUBLISH', true, tests.enterprise_a()), 'a deactivated row is not usable');
select ok(notify_internal.is_usable_by(tests.enterprise_a(), 'DRAFT', true, tests.enterprise_a(), p_in_any_status => true), 'in any status: a deactivated draft of its own counts');
select is(
  (select p.prolang = (select oid from pg_language where lanname = 'sql') and p.proconfig is null and p.provolatile = 'i'
     from pg_proc p where p.oid = 'notify_internal.is_usable_by(uuid, shared_types.publish_status, boolean, uuid, boolean)'::regprocedure),
  true,
  'it is an immutable SQL function without a SET clause, so the planner can inline it'
);

create function pg_temp.plan_of(p_query text) returns text language plpgsql as $$
declare
  v_line text;
  v_plan text := '';
begin
  for v_line in execute 'explain (verbose, costs off) ' || p_query loop
    v_plan := v_plan || v_line || E'\n';
  end loop;
  return v_plan;
end
$$;
select unalike(
  pg_temp.plan_of(format($$select id from notify.ent_notification_workflow w where notify_internal.is_usable_by(w.enterprise_id, w.publish_status, w.deactivated, %L)$$, tests.enterprise_a())),
  '%is_usable_by%',
  'a where clause calling it plans as the plain predicate (inlined)'
);

select * from finish();
rollback;
