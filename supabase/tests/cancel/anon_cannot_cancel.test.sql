begin;
select plan(2);

select tests.create_notification_in_status(tests.enterprise_a(), 'mine', 'PENDING');
select tests.authenticate_as_anon();
select throws_ok($$select notify.cancel_notification(1)$$, '42501', 'permission denied for schema notify', 'anon cannot call the RPC');
select tests.clear_authentication();
select ok(not has_function_privilege('anon', 'notify.cancel_notification(bigint, text)', 'execute'), 'anon has no execute privilege');

select * from finish();
rollback;
