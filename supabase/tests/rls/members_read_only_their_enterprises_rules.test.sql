begin;
select plan(4);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());

select tests.authenticate_as_anon();
select throws_ok($$select * from notify.ent_notification_rule$$, '42501', 'permission denied for schema notify', 'anon cannot read rules');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq($$select name from notify.ent_notification_rule where enterprise_id = tests.enterprise_a()$$, $$values ('fixture')$$, 'a member of A reads A''s rules');
select is_empty($$select name from notify.ent_notification_rule where enterprise_id = tests.enterprise_b()$$, 'a member of A does not see B''s rules');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select results_eq($$select count(*)::int from notify.ent_notification_rule where enterprise_id in (tests.enterprise_a(), tests.enterprise_b())$$, $$values (2)$$, 'service_role reads every enterprise''s rules');
select tests.clear_authentication();

select * from finish();
rollback;
