begin;
select plan(5);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());
select tests.create_shared_fixture();

select tests.authenticate_as_anon();
select throws_ok($$insert into notify.typ_notification_category (name, code, path, enterprise_id) values ('by anon', 'new-anon', 'new', tests.enterprise_a())$$, '42501', 'permission denied for schema notify', 'anon cannot insert categories');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select lives_ok($$insert into notify.typ_notification_category (name, code, path, enterprise_id) values ('by member', 'new-member-a', 'new', tests.enterprise_a())$$, 'a member of A inserts into A');
select throws_ok($$insert into notify.typ_notification_category (name, code, path, enterprise_id) values ('by member', 'new-member-b', 'new', tests.enterprise_b())$$, '42501', 'new row violates row-level security policy for table "typ_notification_category"', 'a member of A cannot insert into B');
select throws_ok($$insert into notify.typ_notification_category (name, code, path, enterprise_id) values ('by member', 'new-member-shared', 'new', null)$$, '42501', 'new row violates row-level security policy for table "typ_notification_category"', 'a member of A cannot insert shared categories');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select lives_ok($$insert into notify.typ_notification_category (name, code, path, enterprise_id) values ('by service role', 'new-service-b', 'new', tests.enterprise_b())$$, 'service_role inserts into any enterprise');
select tests.clear_authentication();

select * from finish();
rollback;
