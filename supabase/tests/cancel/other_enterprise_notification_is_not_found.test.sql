begin;
select plan(2);

select tests.create_notification_in_status(tests.enterprise_b(), 'theirs', 'PENDING');
select set_config('test.notification_id', (select id::text from notify.ent_notification where name = 'theirs'), true);
select tests.authenticate_as(array[tests.enterprise_a()]);
select throws_ok(format($$select notify.cancel_notification(%s)$$, current_setting('test.notification_id')), 'P0002', format('notification %s not found', current_setting('test.notification_id')), 'another enterprise''s notification is not found');
select tests.clear_authentication();
select is((select notification_status::text from notify.ent_notification where name = 'theirs'), 'PENDING', 'and stays PENDING');

select * from finish();
rollback;
