begin;
select plan(1);

select tests.authenticate_as(array[tests.enterprise_a()]);
select throws_ok($$select notify.cancel_notification(-42)$$, 'P0002', 'notification -42 not found', 'an unknown id is not found');
select tests.clear_authentication();

select * from finish();
rollback;
