begin;
select plan(6);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());
select tests.create_shared_fixture();

select tests.authenticate_as_anon();
select throws_ok($$update notify.typ_notification_category set description = 'changed'$$, '42501', 'permission denied for schema notify', 'anon cannot update categories');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select isnt_empty($$update notify.typ_notification_category set description = 'changed' where enterprise_id = tests.enterprise_a() returning id$$, 'a member of A updates A''s categories');
select is_empty($$update notify.typ_notification_category set description = 'changed' where enterprise_id = tests.enterprise_b() returning id$$, 'a member of A updates none of B''s categories');
select throws_ok($$update notify.typ_notification_category set enterprise_id = tests.enterprise_b() where enterprise_id = tests.enterprise_a()$$, '42501', 'new row violates row-level security policy for table "typ_notification_category"', 'a member of A cannot move a row into B');
select is_empty($$update notify.typ_notification_category set description = 'changed' where enterprise_id is null returning id$$, 'a member of A updates no shared categories');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select isnt_empty($$update notify.typ_notification_category set description = 'changed' where enterprise_id = tests.enterprise_b() returning id$$, 'service_role updates any enterprise''s categories');
select tests.clear_authentication();

select * from finish();
rollback;
