begin;
select plan(3);

select tests.authenticate_as_service_role();
select notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{"doorName": "North gate"}') as event_id \gset
select tests.clear_authentication();

select results_eq(
  format($$select enterprise_id, event_name, payload, processed_at from notify.rule_event where id = %s$$, :event_id),
  $$values (tests.enterprise_a(), 'door.forced_open', '{"doorName": "North gate"}'::jsonb, null::timestamptz)$$,
  'the event is recorded, not yet processed');
select results_eq(
  format($$select count(*)::int from pgmq.q_rule_events where (message ->> 'event_id')::bigint = %s$$, :event_id),
  $$values (1)$$, 'and queued once in rule_events');
select results_eq(
  $$select count(*)::int from net.http_request_queue where url like '%/rule-events'$$,
  $$values (1)$$, 'and the rule events worker is kicked');

select * from finish();
rollback;
