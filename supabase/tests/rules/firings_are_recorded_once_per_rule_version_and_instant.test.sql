begin;
select plan(5);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_rule(tests.enterprise_a(), 'weekly', 'CRON', '{"cron": "0 9 * * 1"}');

select results_eq(
  $$select outcome from notify_internal.record_rule_firings(jsonb_build_array(
      tests.firing((select id from notify.ent_notification_rule where name = 'weekly'), '2030-01-07T09:00:00Z')))$$,
  $$values ('created')$$, 'the first run creates the firing');
select results_eq(
  $$select outcome from notify_internal.record_rule_firings(jsonb_build_array(
      tests.firing((select id from notify.ent_notification_rule where name = 'weekly'), '2030-01-07T09:00:00Z'),
      tests.firing((select id from notify.ent_notification_rule where name = 'weekly'), '2030-01-07T09:00:00Z')))$$,
  $$values ('duplicate'), ('duplicate')$$, 'a second run, and a repeat within one call, record nothing new');
select results_eq(
  $$select count(*)::int from notify.ent_notification where notification_rule_id = (select id from notify.ent_notification_rule where name = 'weekly')$$,
  $$values (1)$$, 'one notification for the instant');
select results_eq(
  $$select n.scheduled_for, n.publish_status::text, n.recipients, n.payload, n.enterprise_id
      from notify.rule_firing f join notify.ent_notification n on n.id = f.notification_id
     where f.enterprise_id = tests.enterprise_a()$$,
  $$values ('2030-01-07T09:00:00Z'::timestamptz, 'PUBLISH', '{d0000000-0000-4000-8000-00000000000d}'::uuid[],
            '{"name": "fixture"}'::jsonb, tests.enterprise_a())$$,
  'the notification is published for the exact instant, with the rule''s payload, recipients and enterprise');
select throws_ok(
  $$insert into notify.rule_firing (enterprise_id, notification_rule_id, rule_version, fire_at, outcome)
    select enterprise_id, notification_rule_id, rule_version, fire_at, 'created' from notify.rule_firing
    where enterprise_id = tests.enterprise_a()$$,
  '23505', 'duplicate key value violates unique constraint "rule_firing_once_per_rule_version_and_instant"',
  'the unique firing key refuses a second firing of the instant, whoever writes it');

select * from finish();
rollback;
