begin;
select plan(1);

select tests.create_notification_in_status(tests.enterprise_a(), 'mine', 'PENDING');
select set_config('test.notification_id', (select id::text from notify.ent_notification where name = 'mine'), true);
select tests.authenticate_as(array[]::uuid[]);
select throws_ok(format($$select notify.cancel_notification(%s)$$, current_setting('test.notification_id')), 'P0002', format('notification %s not found', current_setting('test.notification_id')), 'no claim, no access');
select tests.clear_authentication();

select * from finish();
rollback;
