begin;
select plan(12);

select tests.create_notification_in_status(tests.enterprise_a(), 'from PENDING', 'PENDING');
select tests.create_notification_in_status(tests.enterprise_a(), 'from PROCESSING', 'PROCESSING');
select tests.create_notification_in_status(tests.enterprise_a(), 'from SENT', 'SENT');
select tests.create_notification_in_status(tests.enterprise_a(), 'from FAILED', 'FAILED');
select tests.create_notification_in_status(tests.enterprise_a(), 'from RETRACTED', 'RETRACTED');
create temporary table history_before as select count(*) as n from notify.notification_status_history;
select throws_ok($$update notify.ent_notification set notification_status = 'SENT' where name = 'from PENDING'$$, '23514', 'illegal notification status transition from PENDING to SENT', 'PENDING -> SENT is rejected');
select throws_ok($$update notify.ent_notification set notification_status = 'FAILED' where name = 'from PENDING'$$, '23514', 'illegal notification status transition from PENDING to FAILED', 'PENDING -> FAILED is rejected');
select throws_ok($$update notify.ent_notification set notification_status = 'PENDING' where name = 'from SENT'$$, '23514', 'illegal notification status transition from SENT to PENDING', 'SENT -> PENDING is rejected');
select throws_ok($$update notify.ent_notification set notification_status = 'PROCESSING' where name = 'from SENT'$$, '23514', 'illegal notification status transition from SENT to PROCESSING', 'SENT -> PROCESSING is rejected');
select throws_ok($$update notify.ent_notification set notification_status = 'PROCESSING' where name = 'from FAILED'$$, '23514', 'illegal notification status transition from FAILED to PROCESSING', 'FAILED -> PROCESSING is rejected');
select throws_ok($$update notify.ent_notification set notification_status = 'SENT' where name = 'from FAILED'$$, '23514', 'illegal notification status transition from FAILED to SENT', 'FAILED -> SENT is rejected');
select throws_ok($$update notify.ent_notification set notification_status = 'PENDING' where name = 'from RETRACTED'$$, '23514', 'illegal notification status transition from RETRACTED to PENDING', 'RETRACTED -> PENDING is rejected');
select throws_ok($$update notify.ent_notification set notification_status = 'PROCESSING' where name = 'from RETRACTED'$$, '23514', 'illegal notification status transition from RETRACTED to PROCESSING', 'RETRACTED -> PROCESSING is rejected');
select throws_ok($$update notify.ent_notification set notification_status = 'SENT' where name = 'from RETRACTED'$$, '23514', 'illegal notification status transition from RETRACTED to SENT', 'RETRACTED -> SENT is rejected');
select throws_ok($$update notify.ent_notification set notification_status = 'FAILED' where name = 'from RETRACTED'$$, '23514', 'illegal notification status transition from RETRACTED to FAILED', 'RETRACTED -> FAILED is rejected');
select is((select count(*) from notify.notification_status_history), (select n from history_before), 'rejected moves write no history');
select results_eq($$select notification_status::text from notify.ent_notification where name like 'from %' order by id$$, $$values ('PENDING'), ('PROCESSING'), ('SENT'), ('FAILED'), ('RETRACTED')$$, 'every notification keeps its status');

select * from finish();
rollback;
