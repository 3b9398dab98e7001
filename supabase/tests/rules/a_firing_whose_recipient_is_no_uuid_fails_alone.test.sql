begin;
select plan(3);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_rule(tests.enterprise_a(), 'door', 'EVENT', '{"event": "door.forced_open"}') as rule_id \gset
select notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{}') as bad_event \gset
select notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{}') as good_event \gset

select results_eq(
  format($$select event_id, outcome, reason from notify_internal.record_rule_firings(jsonb_build_array(
      tests.firing(%1$s, null, %2$s) || '{"recipients": ["resident-7"]}',
      tests.firing(%1$s, null, %3$s)))$$, :rule_id, :bad_event, :good_event),
  format($$values (%s::bigint, 'failed', 'recipients: ["resident-7"] holds a value that is not a uuid'),
                  (%s::bigint, 'created', null::text)$$, :bad_event, :good_event),
  'the firing with a recipient that is not a uuid fails naming it; the other is created');
select is(
  (select notification_id from notify.rule_firing where event_id = :bad_event), null,
  'the failed firing has no notification');
select isnt(
  (select notification_id from notify.rule_firing where event_id = :good_event), null,
  'the other firing has its notification');

select * from finish();
rollback;
