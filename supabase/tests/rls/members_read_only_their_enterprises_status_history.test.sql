begin;
select plan(4);

select tests.create_notification_in_status(tests.enterprise_a(), 'history a', 'PROCESSING');
select tests.create_notification_in_status(tests.enterprise_b(), 'history b', 'PROCESSING');

select tests.authenticate_as_anon();
select throws_ok($$select * from notify.notification_status_history$$, '42501', 'permission denied for schema notify', 'anon cannot read status history');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq($$select from_status::text, to_status::text from notify.notification_status_history where enterprise_id = tests.enterprise_a()$$, $$values ('PENDING', 'PROCESSING')$$, 'a member of A reads A''s status history');
select is_empty($$select id from notify.notification_status_history where enterprise_id = tests.enterprise_b()$$, 'a member of A does not see B''s status history');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select results_eq($$select count(*)::int from notify.notification_status_history where enterprise_id in (tests.enterprise_a(), tests.enterprise_b())$$, $$values (2)$$, 'service_role reads every enterprise''s status history');
select tests.clear_authentication();

select * from finish();
rollback;
