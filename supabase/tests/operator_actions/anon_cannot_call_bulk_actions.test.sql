begin;
select plan(2);

select tests.authenticate_as_anon();
select throws_ok(
  $$select notify.retry_failed_notifications(enterprise_id => tests.enterprise_a())$$,
  '42501', null, 'anon cannot retry in bulk'
);
select throws_ok(
  $$select notify.retract_pending_notifications(enterprise_id => tests.enterprise_a())$$,
  '42501', null, 'anon cannot retract in bulk'
);

select * from finish();
rollback;
