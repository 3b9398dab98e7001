begin;
select plan(4);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());

select tests.authenticate_as_anon();
select throws_ok($$insert into notify.ent_notification_rule (name, notification_workflow_id, trigger_type, enterprise_id) values ('by anon', (select id from notify.ent_notification_workflow where workflow_key = 'fixture-workflow-a0000000'), 'CRON', tests.enterprise_a())$$, '42501', 'permission denied for schema notify', 'anon cannot insert rules');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select lives_ok($$insert into notify.ent_notification_rule (name, notification_workflow_id, trigger_type, enterprise_id) values ('by member', (select id from notify.ent_notification_workflow where workflow_key = 'fixture-workflow-a0000000'), 'CRON', tests.enterprise_a())$$, 'a member of A inserts into A');
select throws_ok($$insert into notify.ent_notification_rule (name, notification_workflow_id, trigger_type, enterprise_id) values ('by member', (select id from notify.ent_notification_workflow where workflow_key = 'fixture-workflow-a0000000'), 'CRON', tests.enterprise_b())$$, '42501', 'new row violates row-level security policy for table "ent_notification_rule"', 'a member of A cannot insert into B');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select lives_ok($$insert into notify.ent_notification_rule (name, notification_workflow_id, trigger_type, enterprise_id) values ('by service role', (select id from notify.ent_notification_workflow where workflow_key = 'fixture-workflow-b0000000'), 'CRON', tests.enterprise_b())$$, 'service_role inserts into any enterprise');
select tests.clear_authentication();

select * from finish();
rollback;
