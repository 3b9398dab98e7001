begin;
select plan(7);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_notification_in_status(tests.enterprise_a(), 'sent', 'SENT');
select tests.create_notification_in_status(tests.enterprise_a(), 'failed', 'FAILED');
select tests.create_notification_in_status(tests.enterprise_a(), 'retracted', 'RETRACTED');
select tests.create_notification_in_status(tests.enterprise_a(), 'retried', 'PENDING');
select notify_internal.claim_notifications(array[(select id from notify.ent_notification where name = 'retried')]);
select notify_internal.release_for_retry((select id from notify.ent_notification where name = 'retried'), '{"kind": "fixture"}');

select tests.authenticate_as(array[tests.enterprise_a()]);
select throws_like(
  $$delete from notify.ent_notification where name = 'sent'$$,
  '%cannot be deleted: it has been processed (status SENT)%', 'a member cannot delete a SENT notification');
select throws_ok(
  $$delete from notify.ent_notification where name = 'failed'$$,
  '42501', null, 'nor a FAILED one');
select throws_ok(
  $$delete from notify.ent_notification where name = 'retracted'$$,
  '42501', null, 'nor a RETRACTED one');
select throws_ok(
  $$delete from notify.ent_notification where name = 'retried'$$,
  '42501', null, 'nor a PENDING one that was already processed once (it has history)');
select isnt_empty(
  $$delete from notify.ent_notification where name = 'fixture' returning id$$,
  'a never-processed PENDING notification can still be deleted');
select tests.clear_authentication();

select is(
  (select count(*) from notify.notification_status_history h
     join notify.ent_notification n on n.id = h.notification_id
    where n.name in ('sent', 'failed', 'retracted', 'retried')),
  8::bigint, 'their status history survives (two moves each)');

select tests.authenticate_as_service_role();
select isnt_empty(
  $$delete from notify.ent_notification where name = 'sent' returning id$$,
  'service_role (retention jobs of the platform) may still delete');
select tests.clear_authentication();

select * from finish();
rollback;
