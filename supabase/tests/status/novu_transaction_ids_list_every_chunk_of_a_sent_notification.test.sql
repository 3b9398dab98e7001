begin;
select plan(6);

insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients)
select 'many', tests.enterprise_a(), 'PUBLISH', '{}', array(select gen_random_uuid() from generate_series(1, 250));
insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients)
values ('one', tests.enterprise_a(), 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}');
select notify_internal.claim_notifications(array(select id from notify.ent_notification where name in ('many', 'one')));
select tests.create_notification(tests.enterprise_a(), 'waiting', 'PUBLISH');

select is(
  (select notify.novu_transaction_ids(id) from notify.ent_notification where name = 'many'),
  null, 'nothing is listed before the notification reached Novu');
select notify_internal.mark_sent(id, 'xnovu-' || id || '-0') from notify.ent_notification where name in ('many', 'one');

select is(
  (select notify.novu_transaction_ids(id) from notify.ent_notification where name = 'many'),
  (select array['xnovu-' || id || '-0', 'xnovu-' || id || '-1', 'xnovu-' || id || '-2'] from notify.ent_notification where name = 'many'),
  '250 recipients: one transactionId per chunk of 100');
select is(
  (select notify.novu_transaction_ids(id) from notify.ent_notification where name = 'one'),
  (select array[transaction_id] from notify.ent_notification where name = 'one'),
  'up to 100 recipients: the one event, which is the stored transaction_id');
select is(
  (select notify.novu_transaction_ids(id) from notify.ent_notification where name = 'waiting'),
  null, 'a PENDING notification has none');

select id as many_id from notify.ent_notification where name = 'many' \gset
select tests.authenticate_as(array[tests.enterprise_b()]);
select is(notify.novu_transaction_ids(:many_id), null::text[], 'another enterprise''s member learns nothing');
select tests.clear_authentication();
select tests.authenticate_as(array[tests.enterprise_a()]);
select is(cardinality(notify.novu_transaction_ids(:many_id)), 3, 'a member of the enterprise gets the list');

select * from finish();
rollback;
