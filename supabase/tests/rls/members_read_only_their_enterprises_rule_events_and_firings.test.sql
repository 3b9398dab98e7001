begin;
select plan(6);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());
select tests.create_rule(tests.enterprise_a(), 'door a', 'EVENT', '{"event": "door.forced_open"}');
select tests.create_rule(tests.enterprise_b(), 'door b', 'EVENT', '{"event": "door.forced_open"}');
select count(*) from notify_internal.record_rule_firings(jsonb_build_array(
  tests.firing((select id from notify.ent_notification_rule where name = 'door a'), null, notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{}')),
  tests.firing((select id from notify.ent_notification_rule where name = 'door b'), null, notify.emit_event(tests.enterprise_b(), 'door.forced_open', '{}'))));

select tests.authenticate_as_anon();
select throws_ok($$select * from notify.rule_firing$$, '42501', 'permission denied for schema notify', 'anon cannot read firings');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq($$select enterprise_id from notify.rule_event$$, $$values (tests.enterprise_a())$$,
  'a member of A reads only A''s events');
select results_eq($$select enterprise_id from notify.rule_firing$$, $$values (tests.enterprise_a())$$,
  'a member of A reads only A''s firings');
select tests.clear_authentication();

select tests.authenticate_as(array[]::uuid[]);
select is_empty($$select 1 from notify.rule_event union all select 1 from notify.rule_firing$$,
  'a member without an enterprise claim reads nothing');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select results_eq($$select count(*)::int from notify.rule_event where enterprise_id in (tests.enterprise_a(), tests.enterprise_b())$$, $$values (2)$$, 'service_role reads every enterprise''s events');
select results_eq($$select count(*)::int from notify.rule_firing where enterprise_id in (tests.enterprise_a(), tests.enterprise_b())$$, $$values (2)$$, 'service_role reads every enterprise''s firings');
select tests.clear_authentication();

select * from finish();
rollback;
