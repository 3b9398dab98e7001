begin;
select plan(4);

select tests.create_notification_in_status(tests.enterprise_a(), 'history a', 'PROCESSING');
select tests.create_notification_in_status(tests.enterprise_b(), 'history b', 'PROCESSING');

select tests.authenticate_as_anon();
select throws_ok($$delete from notify.notification_status_history$$, '42501', 'permission denied for schema notify', 'anon cannot delete status history');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select throws_ok($$delete from notify.notification_status_history where enterprise_id = tests.enterprise_a()$$, '42501', 'permission denied for table notification_status_history', 'a member of A cannot delete A''s status history');
select throws_ok($$delete from notify.notification_status_history where enterprise_id = tests.enterprise_b()$$, '42501', 'permission denied for table notification_status_history', 'a member of A cannot delete B''s status history');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select throws_ok($$delete from notify.notification_status_history$$, '42501', 'permission denied for table notification_status_history', 'service_role cannot delete status history (append-only)');
select tests.clear_authentication();

select * from finish();
rollback;
