begin;
select plan(3);

select tests.create_enterprise_fixture(tests.enterprise_a());

select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'EVENT', '{"conditions": {}}')$$,
  '23514', 'rule "r": trigger_config.event: required, an event name of letters, digits, _ . : - such as "door.forced_open"',
  'an EVENT rule needs an event name');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'EVENT', '{"event": "door forced; drop table"}')$$,
  '23514', 'rule "r": trigger_config.event: required, an event name of letters, digits, _ . : - such as "door.forced_open"',
  'an event name with spaces and punctuation is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'EVENT', '{"event": "door.forced_open", "conditions": "floor == 3"}')$$,
  '23514', 'rule "r": trigger_config.conditions: must be a JSON Logic rule (an object such as {"==": [{"var": "event.payload.floor"}, 3]})',
  'conditions that are code in a string are refused');

select * from finish();
rollback;
