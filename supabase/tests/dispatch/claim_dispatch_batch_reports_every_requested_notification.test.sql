begin;
select plan(6);

select tests.create_notification(tests.enterprise_a(), 'due', 'PUBLISH');
select tests.create_notification(tests.enterprise_a(), 'later', 'PUBLISH', now() + interval '1 hour');
select tests.create_notification_in_status(tests.enterprise_a(), 'retracted', 'RETRACTED');
select tests.create_notification_in_status(tests.enterprise_a(), 'crashed', 'PROCESSING');

create temporary table claim_result on commit drop as
select * from notify_internal.claim_dispatch_batch(array[
  (select id from notify.ent_notification where name = 'due'),
  (select id from notify.ent_notification where name = 'due'),
  (select id from notify.ent_notification where name = 'later'),
  (select id from notify.ent_notification where name = 'retracted'),
  (select id from notify.ent_notification where name = 'crashed'),
  -1
]);

select is((select count(*) from claim_result), 5::bigint, 'each requested id is reported once');
select results_eq(
  $$select r.claimed, r.notification_status::text from claim_result r join notify.ent_notification n on n.id = r.id where n.name = 'due'$$,
  $$values (true, 'PROCESSING')$$,
  'a due PENDING notification is claimed and reported PROCESSING');
select is((select notification_status::text from notify.ent_notification where name = 'due'), 'PROCESSING', 'the claim moved the row to PROCESSING');
select results_eq(
  $$select r.claimed, r.notification_status::text, r.seconds_until_due between 3590 and 3600 from claim_result r join notify.ent_notification n on n.id = r.id where n.name = 'later'$$,
  $$values (false, 'PENDING', true)$$,
  'a future notification is not claimed and says how long until it is due');
select results_eq(
  $$select n.name, r.claimed, r.notification_status::text from claim_result r join notify.ent_notification n on n.id = r.id where n.name in ('retracted', 'crashed') order by n.name$$,
  $$values ('crashed', true, 'PROCESSING'), ('retracted', false, 'RETRACTED')$$,
  'a PROCESSING row (crashed batch) is returned again; a RETRACTED one is not claimed');
select results_eq(
  $$select claimed, notification_status::text from claim_result where id = -1$$,
  $$values (false, null::text)$$,
  'an id without a row is reported unclaimed with no status');

select * from finish();
rollback;
