begin;
select plan(3);

select throws_ok($$select notify.emit_event(tests.enterprise_a(), 'door forced', '{}')$$,
  '23514', 'event_name: ''door forced'' is not an event name of 1 to 200 letters, digits, _ . : - such as door.forced_open',
  'an event name with a space is refused');
select throws_ok($$select notify.emit_event(tests.enterprise_a(), 'door.forced_open', '[1, 2]')$$,
  '23514', 'payload: must be a JSON object, not array', 'a payload that is not an object is refused');
select is_empty($$select 1 from notify.rule_event where enterprise_id = tests.enterprise_a()$$, 'nothing was recorded');

select * from finish();
rollback;
