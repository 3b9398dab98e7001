begin;
select plan(3);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_rule(tests.enterprise_a(), 'door', 'EVENT', '{"event": "door.forced_open"}') as rule_id \gset
select notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{}') as first_event \gset
select notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{}') as second_event \gset

-- One batch: the first event twice (a message read twice), then the second.
select results_eq(
  format($$select event_id, outcome from notify_internal.record_rule_firings(jsonb_build_array(
      tests.firing(%1$s, null, %2$s), tests.firing(%1$s, null, %2$s), tests.firing(%1$s, null, %3$s)))$$,
    :rule_id, :first_event, :second_event),
  format($$values (%1$s::bigint, 'created'), (%1$s, 'duplicate'), (%2$s, 'created')$$, :first_event, :second_event),
  'the first of the key is created, the second is a duplicate, in the order given');
select is(
  (select count(*)::int from notify.rule_firing where notification_rule_id = :rule_id), 2,
  'two firing rows');
select results_eq(
  format($$select f.event_id, n.name like '%%firing ' || f.id from notify.rule_firing f
      join notify.ent_notification n on n.id = f.notification_id
     where f.notification_rule_id = %s order by f.event_id$$, :rule_id),
  format($$values (%s::bigint, true), (%s::bigint, true)$$, :first_event, :second_event),
  'each firing has its own notification, which names the firing');

select * from finish();
rollback;
