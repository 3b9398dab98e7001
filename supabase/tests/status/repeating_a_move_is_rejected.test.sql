begin;
select plan(3);

select tests.create_notification_in_status(tests.enterprise_a(), 'sent', 'SENT');
select throws_ok($$select notify_internal.mark_sent(id, 'again') from notify.ent_notification where name = 'sent'$$, '23514', 'illegal notification status transition from SENT to SENT', 'marking a SENT notification sent again is rejected');
select is((select transaction_id from notify.ent_notification where name = 'sent'), 'xnovu-' || (select id from notify.ent_notification where name = 'sent'), 'the transaction id is unchanged');
select throws_ok($$select notify_internal.mark_sent(-1, 'x')$$, 'P0002', 'notification -1 not found', 'moving an unknown notification is an error');

select * from finish();
rollback;
