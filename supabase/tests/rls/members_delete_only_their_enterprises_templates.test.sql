begin;
select plan(5);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());
select tests.create_shared_fixture();

select tests.authenticate_as_anon();
select throws_ok($$delete from notify.ent_notification_template$$, '42501', 'permission denied for schema notify', 'anon cannot delete templates');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select isnt_empty($$delete from notify.ent_notification_template where enterprise_id = tests.enterprise_a() returning id$$, 'a member of A deletes A''s templates');
select is_empty($$delete from notify.ent_notification_template where enterprise_id = tests.enterprise_b() returning id$$, 'a member of A deletes none of B''s templates');
select is_empty($$delete from notify.ent_notification_template where enterprise_id is null returning id$$, 'a member of A deletes no shared templates');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select isnt_empty($$delete from notify.ent_notification_template where enterprise_id = tests.enterprise_b() returning id$$, 'service_role deletes any enterprise''s templates');
select tests.clear_authentication();

select * from finish();
rollback;
