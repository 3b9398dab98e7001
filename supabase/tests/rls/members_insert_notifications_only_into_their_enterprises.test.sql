begin;
select plan(4);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());

select tests.authenticate_as_anon();
select throws_ok($$insert into notify.ent_notification (name, enterprise_id, payload, recipients) values ('by anon', tests.enterprise_a(), '{}', '{}')$$, '42501', 'permission denied for schema notify', 'anon cannot insert notifications');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select lives_ok($$insert into notify.ent_notification (name, enterprise_id, payload, recipients) values ('by member', tests.enterprise_a(), '{}', '{}')$$, 'a member of A inserts into A');
select throws_ok($$insert into notify.ent_notification (name, enterprise_id, payload, recipients) values ('by member', tests.enterprise_b(), '{}', '{}')$$, '42501', 'new row violates row-level security policy for table "ent_notification"', 'a member of A cannot insert into B');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select lives_ok($$insert into notify.ent_notification (name, enterprise_id, payload, recipients) values ('by service role', tests.enterprise_b(), '{}', '{}')$$, 'service_role inserts into any enterprise');
select tests.clear_authentication();

select * from finish();
rollback;
