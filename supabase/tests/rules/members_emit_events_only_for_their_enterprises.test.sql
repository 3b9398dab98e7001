begin;
select plan(4);

select tests.authenticate_as(array[tests.enterprise_a()]);
select cmp_ok(notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{}'), '>', 0::bigint,
  'a member emits an event of their enterprise');
select throws_ok($$select notify.emit_event(tests.enterprise_b(), 'door.forced_open', '{}')$$,
  'P0002', format('enterprise %s not found', tests.enterprise_b()),
  'another enterprise''s id is refused like a missing one');
select throws_ok($$insert into notify.rule_event (enterprise_id, event_name) values (tests.enterprise_a(), 'door.forced_open')$$,
  '42501', 'permission denied for table rule_event', 'members cannot insert events around emit_event');
select tests.clear_authentication();

select tests.authenticate_as_anon();
select throws_ok($$select notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{}')$$,
  '42501', 'permission denied for schema notify', 'anon cannot emit events');
select tests.clear_authentication();

select * from finish();
rollback;
