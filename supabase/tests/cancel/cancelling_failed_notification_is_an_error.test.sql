begin;
select plan(2);

select tests.create_notification_in_status(tests.enterprise_a(), 'failed', 'FAILED');
select tests.authenticate_as(array[tests.enterprise_a()]);
select throws_ok(format($$select notify.cancel_notification(%s)$$, (select id from notify.ent_notification where name = 'failed')), '23514', format('notification %s is FAILED and was never delivered; there is nothing to cancel', (select id from notify.ent_notification where name = 'failed')), 'a FAILED notification cannot be cancelled');
select tests.clear_authentication();
select is((select notification_status::text from notify.ent_notification where name = 'failed'), 'FAILED', 'it stays FAILED');

select * from finish();
rollback;
