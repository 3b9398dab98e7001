begin;
select plan(7);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());
select tests.create_shared_fixture();

-- A member of both enterprises: RLS lets it see B's workflow, the rule still refuses mixing.
select tests.authenticate_as(array[tests.enterprise_a(), tests.enterprise_b()]);
select throws_ok(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients, notification_workflow_id)
    values ('a uses b', tests.enterprise_a(), '{}', '{}',
      (select id from notify.ent_notification_workflow where workflow_key = 'fixture-workflow-' || left(tests.enterprise_b()::text, 8)))$$,
  '23503', null, 'a notification of A cannot use a workflow of B');
select throws_ok(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients, notification_category_id)
    values ('a uses b category', tests.enterprise_a(), '{}', '{}',
      (select id from notify.typ_notification_category where code = 'fixture-category-' || left(tests.enterprise_b()::text, 8)))$$,
  '23503', null, 'nor a category of B');
select lives_ok(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients, notification_workflow_id, notification_priority_id)
    values ('a uses own and shared', tests.enterprise_a(), '{}', '{}',
      (select id from notify.ent_notification_workflow where workflow_key = 'fixture-workflow-' || left(tests.enterprise_a()::text, 8)),
      (select id from notify.typ_notification_priority where code = 'fixture-priority-shared'))$$,
  'its own workflow and a shared priority are fine');
select throws_ok(
  $$update notify.ent_notification
      set notification_rule_id = (select id from notify.ent_notification_rule where enterprise_id = tests.enterprise_b())
    where name = 'a uses own and shared'$$,
  '23503', null, 'an update cannot point it at a rule of B either');
select tests.clear_authentication();

-- service_role bypasses RLS, not this rule.
select tests.authenticate_as_service_role();
select throws_like(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients, notification_workflow_id)
    values ('service a uses b', tests.enterprise_a(), '{}', '{}',
      (select id from notify.ent_notification_workflow where workflow_key = 'fixture-workflow-' || left(tests.enterprise_b()::text, 8)))$$,
  'insert or update on table "ent_notification" violates foreign key constraint "ent_notification_notification_workflow_id_fkey"',
  'service_role gets the same refusal, the one a missing workflow gets');
select throws_ok(
  $$insert into notify.ent_notification_rule (name, enterprise_id, notification_workflow_id, trigger_type)
    values ('rule a uses b', tests.enterprise_a(),
      (select id from notify.ent_notification_workflow where workflow_key = 'fixture-workflow-' || left(tests.enterprise_b()::text, 8)), 'EVENT')$$,
  '23503', null, 'a rule of A cannot run a workflow of B');
select throws_ok(
  $$insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, enterprise_id, notification_category_id)
    values ('shared uses a', 'shared-uses-a', 'DYNAMIC', null,
      (select id from notify.typ_notification_category where code = 'fixture-category-' || left(tests.enterprise_a()::text, 8)))$$,
  '23503', null, 'a shared workflow cannot sit in an enterprise''s category');
select tests.clear_authentication();

select * from finish();
rollback;
