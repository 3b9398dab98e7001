begin;
select plan(4);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_rule(tests.enterprise_a(), 'weekly', 'CRON', '{"cron": "0 9 * * 1"}');
select count(*) from notify_internal.record_rule_firings(jsonb_build_array(
  tests.firing((select id from notify.ent_notification_rule where name = 'weekly'), now() - interval '1 minute'),
  tests.firing((select id from notify.ent_notification_rule where name = 'weekly'), '2030-01-07T09:00:00Z')));

select tests.authenticate_as(array[tests.enterprise_a()]);
update notify.ent_notification_rule set trigger_config = '{"cron": "0 10 * * 1", "timezone": "Europe/Berlin"}' where name = 'weekly';
select tests.clear_authentication();

select results_eq(
  $$select n.notification_status::text, n.retraction_reason from notify.ent_notification n
    where n.scheduled_for = '2030-01-07T09:00:00Z' and n.enterprise_id = tests.enterprise_a()$$,
  $$select 'RETRACTED', format('rule %s "weekly" changed (trigger_config)', id) from notify.ent_notification_rule where name = 'weekly'$$,
  'a member''s edit retracts the future firing, naming the rule and what changed');
select results_eq(
  $$select f.outcome from notify.rule_firing f where f.fire_at = '2030-01-07T09:00:00Z' and f.enterprise_id = tests.enterprise_a()$$,
  $$values ('retracted')$$, 'its firing is marked retracted');
select results_eq(
  $$select n.notification_status::text from notify.ent_notification n join notify.ent_notification_rule r on r.id = n.notification_rule_id
    where r.name = 'weekly' and r.enterprise_id = tests.enterprise_a() and n.scheduled_for < now()$$,
  $$values ('PENDING')$$, 'a firing whose instant has passed is left alone');
select results_eq(
  $$select h.to_status::text from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id
    where n.scheduled_for = '2030-01-07T09:00:00Z' and n.enterprise_id = tests.enterprise_a() order by h.id desc limit 1$$,
  $$values ('RETRACTED')$$, 'the retraction went through the status machine');

select * from finish();
rollback;
