begin;
select plan(6);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());
select tests.create_shared_fixture();

select tests.authenticate_as(array[tests.enterprise_a()]);
select ok((select count(*) from notify.configuration_audit where enterprise_id = tests.enterprise_a()) > 0, 'a member reads its enterprise''s trail');
select is((select count(*) from notify.configuration_audit where enterprise_id = tests.enterprise_b()), 0::bigint, 'never another enterprise''s');
select ok((select count(*) from notify.configuration_audit where enterprise_id is null) > 0, 'and the trail of shared rows, which it can read');
select throws_ok($$insert into notify.configuration_audit (table_name, row_id, operation, new_values) values ('x', 1, 'INSERT', '{}')$$, '42501', null, 'a member cannot write the trail');
select throws_ok($$delete from notify.configuration_audit$$, '42501', null, 'nor delete it');
select tests.clear_authentication();
select tests.authenticate_as_service_role();
select throws_ok($$update notify.configuration_audit set operation = 'DELETE'$$, '42501', null, 'nor can service_role rewrite it');

select * from finish();
rollback;
