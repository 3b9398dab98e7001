begin;
select plan(6);

select tests.authenticate_as_service_role();
insert into notify.enterprise_rate_limit (enterprise_id, notifications_per_second, burst) values (tests.enterprise_a(), 5, 10), (tests.enterprise_b(), 1, 1);
select lives_ok($$update notify.enterprise_rate_limit set notifications_per_second = 50 where enterprise_id = tests.enterprise_a()$$, 'service_role changes a limit');
select tests.clear_authentication();

select tests.authenticate_as_anon();
select throws_ok($$select * from notify.enterprise_rate_limit$$, '42501', null, 'anon cannot read rate limits');
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq($$select notifications_per_second from notify.enterprise_rate_limit$$, $$values (50::numeric)$$, 'a member reads only its enterprise''s limit');
select throws_ok($$insert into notify.enterprise_rate_limit (enterprise_id, notifications_per_second, burst) values (tests.enterprise_a(), 1000, 1000)$$, '42501', null, 'a member cannot set a limit');
select throws_ok($$update notify.enterprise_rate_limit set burst = 1000$$, '42501', null, 'a member cannot change a limit');
select tests.clear_authentication();

select throws_ok($$insert into notify.enterprise_rate_limit (enterprise_id, notifications_per_second, burst) values (gen_random_uuid(), 0, 1)$$, '23514', null, 'a rate must be positive');

select * from finish();
rollback;
