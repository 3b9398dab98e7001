begin;
select plan(6);

select tests.create_enterprise_fixture(tests.enterprise_a());
select notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{}') as event_id \gset

select tests.authenticate_as(array[tests.enterprise_a()]);
select throws_ok($$update notify.rule_event set payload = '{}'$$, '42501', 'permission denied for table rule_event',
  'members cannot update events');
select throws_ok($$delete from notify.rule_event$$, '42501', 'permission denied for table rule_event',
  'members cannot delete events');
select throws_ok($$insert into notify.rule_firing (enterprise_id, rule_version, fire_at, outcome) values (tests.enterprise_a(), now(), now(), 'created')$$,
  '42501', 'permission denied for table rule_firing', 'members cannot insert firings');
select throws_ok($$update notify.rule_firing set outcome = 'failed'$$, '42501', 'permission denied for table rule_firing',
  'members cannot update firings');
select throws_ok($$delete from notify.rule_firing$$, '42501', 'permission denied for table rule_firing',
  'members cannot delete firings');
select throws_ok($$select * from notify_internal.record_rule_firings('[]')$$, '42501',
  'permission denied for function record_rule_firings', 'members cannot record firings');
select tests.clear_authentication();

select * from finish();
rollback;
