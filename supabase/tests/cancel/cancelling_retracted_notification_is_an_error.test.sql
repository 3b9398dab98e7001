begin;
select plan(1);

select tests.create_notification_in_status(tests.enterprise_a(), 'gone', 'RETRACTED');
select tests.authenticate_as(array[tests.enterprise_a()]);
select throws_ok(format($$select notify.cancel_notification(%s)$$, (select id from notify.ent_notification where name = 'gone')), '23514', format('notification %s is already RETRACTED', (select id from notify.ent_notification where name = 'gone')), 'cancelling twice is an error');
select tests.clear_authentication();

select * from finish();
rollback;
