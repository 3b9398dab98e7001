begin;
select plan(5);

select ok(not has_schema_privilege('anon', 'notify_audience', 'usage'), 'anon has no usage on schema notify_audience');
select ok(not has_schema_privilege('authenticated', 'notify_audience', 'usage'), 'members have no usage on schema notify_audience');
select ok(not has_schema_privilege('authenticated', 'notify_audience', 'create'), 'members cannot register audiences');
select ok(has_schema_privilege('service_role', 'notify_audience', 'create'), 'the service role registers audiences');

select tests.authenticate_as(array[tests.enterprise_a()]);
select throws_ok(
  $$create function notify_audience.everyone(uuid, jsonb) returns setof uuid language sql as 'select null::uuid'$$,
  '42501', 'permission denied for schema notify_audience', 'a member''s attempt to register an audience is refused');
select tests.clear_authentication();

select * from finish();
rollback;
