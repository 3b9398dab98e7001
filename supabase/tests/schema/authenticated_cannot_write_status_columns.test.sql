begin;
select plan(3);

select tests.create_notification(tests.enterprise_a(), 'mine');
select tests.authenticate_as(array[tests.enterprise_a()]);
select throws_ok($$update notify.ent_notification set notification_status = 'SENT' where name = 'mine'$$, '42501', 'permission denied for table ent_notification', 'a member cannot update notification_status');
select throws_ok($$update notify.ent_notification set transaction_id = 'forged' where name = 'mine'$$, '42501', 'permission denied for table ent_notification', 'a member cannot update transaction_id');
select throws_ok($$insert into notify.ent_notification (name, enterprise_id, payload, recipients, notification_status) values ('forged', tests.enterprise_a(), '{}', '{}', 'SENT')$$, '42501', 'permission denied for table ent_notification', 'a member cannot insert a status');
select tests.clear_authentication();

select * from finish();
rollback;
