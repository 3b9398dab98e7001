begin;
select plan(5);

select tests.create_notification_in_status(tests.enterprise_a(), 'a pending 1', 'PENDING');
select tests.create_notification_in_status(tests.enterprise_a(), 'a pending 2', 'PENDING');
select tests.create_notification_in_status(tests.enterprise_a(), 'a sent', 'SENT');
select tests.create_notification_in_status(tests.enterprise_b(), 'b pending', 'PENDING');
select set_config('tests.ids', (select array_agg(id)::text from notify.ent_notification
  where name in ('a pending 1', 'a pending 2', 'a sent', 'b pending')), true);

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq(
  $$select n.name, r.notification_status::text
      from notify.retract_pending_notifications(notification_ids => current_setting('tests.ids')::bigint[], reason => 'building closed') r
      join notify.ent_notification n on n.id = r.notification_id order by 1$$,
  $$values ('a pending 1', 'RETRACTED'), ('a pending 2', 'RETRACTED')$$,
  'given every id, a member retracts only its enterprise''s PENDING ones and gets them back'
);
select is_empty(
  $$select from notify.retract_pending_notifications(enterprise_id => tests.enterprise_b())$$,
  'filtering on another enterprise retracts nothing'
);
select tests.clear_authentication();

select results_eq(
  $$select distinct notification_status::text, retraction_reason from notify.ent_notification where name like 'a pending%'$$,
  $$values ('RETRACTED', 'building closed')$$,
  'both are RETRACTED with the reason given'
);
select results_eq(
  $$select name, notification_status::text from notify.ent_notification where name in ('a sent', 'b pending') order by 1$$,
  $$values ('a sent', 'SENT'), ('b pending', 'PENDING')$$,
  'the SENT notification and the other enterprise''s PENDING one are untouched'
);
select is(
  (select sum(tests.cancellation_message_count(id)) from notify.ent_notification where name like 'a pending%')::integer,
  0,
  'a retracted PENDING notification needs no Novu cancel'
);

select * from finish();
rollback;
