begin;
select plan(5);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());
select tests.create_shared_fixture();

select tests.authenticate_as_anon();
select throws_ok($$insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, enterprise_id) values ('by anon', 'new-anon', 'DYNAMIC', tests.enterprise_a())$$, '42501', 'permission denied for schema notify', 'anon cannot insert workflows');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select lives_ok($$insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, enterprise_id) values ('by member', 'new-member-a', 'DYNAMIC', tests.enterprise_a())$$, 'a member of A inserts into A');
select throws_ok($$insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, enterprise_id) values ('by member', 'new-member-b', 'DYNAMIC', tests.enterprise_b())$$, '42501', 'new row violates row-level security policy for table "ent_notification_workflow"', 'a member of A cannot insert into B');
select throws_ok($$insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, enterprise_id) values ('by member', 'new-member-shared', 'DYNAMIC', null)$$, '42501', 'new row violates row-level security policy for table "ent_notification_workflow"', 'a member of A cannot insert shared workflows');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select lives_ok($$insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, enterprise_id) values ('by service role', 'new-service-b', 'DYNAMIC', tests.enterprise_b())$$, 'service_role inserts into any enterprise');
select tests.clear_authentication();

select * from finish();
rollback;
