begin;
select plan(3);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_rule(tests.enterprise_a(), 'door', 'EVENT', '{"event": "door.forced_open"}');
select notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{}') as event_id \gset

select results_eq(
  format($$select outcome from notify_internal.record_rule_firings(jsonb_build_array(
      tests.firing((select id from notify.ent_notification_rule where name = 'door'), null, %s)))$$, :event_id),
  $$values ('created')$$, 'the event fires the rule');
select results_eq(
  format($$select outcome from notify_internal.record_rule_firings(jsonb_build_array(
      tests.firing((select id from notify.ent_notification_rule where name = 'door'), null, %s)))$$, :event_id),
  $$values ('duplicate')$$, 'a redelivered event does not fire it again');
select results_eq(
  $$select count(*)::int, bool_and(n.scheduled_for is null) from notify.ent_notification n
    where n.notification_rule_id = (select id from notify.ent_notification_rule where name = 'door')$$,
  $$values (1, true)$$, 'one notification, to be sent at once');

select * from finish();
rollback;
