begin;
select plan(2);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_rule(tests.enterprise_a(), 'weekly', 'CRON', '{"cron": "0 9 * * 1"}');

-- A firing planned from a version of the rule that an edit has since replaced.
select results_eq(
  $$select outcome from notify_internal.record_rule_firings(jsonb_build_array(jsonb_set(
      tests.firing((select id from notify.ent_notification_rule where name = 'weekly'), '2030-01-07T09:00:00Z'),
      '{rule_version}', '"2000-01-01T00:00:00.000000Z"')))$$,
  $$values ('stale')$$, 'a firing planned from an older version of the rule is stale');
select is_empty($$select 1 from notify.ent_notification n join notify.ent_notification_rule r on r.id = n.notification_rule_id where r.name = 'weekly'$$,
  'and creates no notification');

select * from finish();
rollback;
