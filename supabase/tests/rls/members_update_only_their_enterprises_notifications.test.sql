begin;
select plan(5);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());

select tests.authenticate_as_anon();
select throws_ok($$update notify.ent_notification set description = 'changed'$$, '42501', 'permission denied for schema notify', 'anon cannot update notifications');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select isnt_empty($$update notify.ent_notification set description = 'changed' where enterprise_id = tests.enterprise_a() returning id$$, 'a member of A updates A''s notifications');
select is_empty($$update notify.ent_notification set description = 'changed' where enterprise_id = tests.enterprise_b() returning id$$, 'a member of A updates none of B''s notifications');
select throws_ok($$update notify.ent_notification set enterprise_id = tests.enterprise_b() where enterprise_id = tests.enterprise_a()$$, '42501', 'new row violates row-level security policy for table "ent_notification"', 'a member of A cannot move a row into B');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select isnt_empty($$update notify.ent_notification set description = 'changed' where enterprise_id = tests.enterprise_b() returning id$$, 'service_role updates any enterprise''s notifications');
select tests.clear_authentication();

select * from finish();
rollback;
