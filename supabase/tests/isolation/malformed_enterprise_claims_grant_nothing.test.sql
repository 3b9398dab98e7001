begin;
select plan(4);

select tests.create_enterprise_fixture(tests.enterprise_a());

select set_config('request.jwt.claims',
  '{"role": "authenticated", "app_metadata": {"enterprise_ids": ["x", 42, null]}}', true);
set local role authenticated;
select lives_ok($$select notify_internal.caller_enterprise_ids()$$, 'non-uuid entries do not break the helper');
select is(notify_internal.caller_enterprise_ids(), '{}'::uuid[], 'and grant nothing');
select is_empty($$select id from notify.ent_notification$$, 'so no notification is visible');
reset role;

select set_config('request.jwt.claims', format(
  '{"role": "authenticated", "app_metadata": {"enterprise_ids": ["x", "%s"], "enterprise_id": "nope"}}',
  tests.enterprise_a()), true);
set local role authenticated;
select is(notify_internal.caller_enterprise_ids(), array[tests.enterprise_a()], 'valid entries beside malformed ones still grant their enterprise');
reset role;

select * from finish();
rollback;
