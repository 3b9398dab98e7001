begin;
select plan(2);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_rule(tests.enterprise_a(), 'weekly', 'CRON', '{"cron": "0 9 * * 1"}');
update notify.ent_notification_workflow set publish_status = 'DRAFT' where workflow_key = 'fixture-workflow-a0000000';

select results_eq(
  $$select outcome, reason from notify_internal.record_rule_firings(jsonb_build_array(
      tests.firing((select id from notify.ent_notification_rule where name = 'weekly'), '2030-01-07T09:00:00Z')))$$,
  $$values ('failed', 'workflow fixture-workflow-a0000000 is not published and active')$$,
  'a firing whose workflow was unpublished is failed, saying why');
select is_empty(
  $$select 1 from notify.ent_notification n join notify.ent_notification_rule r on r.id = n.notification_rule_id
    where r.name = 'weekly' and r.enterprise_id = tests.enterprise_a()$$,
  'and creates no notification');

select * from finish();
rollback;
