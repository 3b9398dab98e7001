begin;
select plan(5);

select tests.create_notification_in_status(tests.enterprise_a(), 'a failed 1', 'FAILED');
select tests.create_notification_in_status(tests.enterprise_a(), 'a failed 2', 'FAILED');
select tests.create_notification_in_status(tests.enterprise_a(), 'a sent', 'SENT');
select tests.create_notification_in_status(tests.enterprise_b(), 'b failed', 'FAILED');
-- Every id, B's too, read before acting as the member.
select set_config('tests.ids', (select array_agg(id)::text from notify.ent_notification
  where name in ('a failed 1', 'a failed 2', 'a sent', 'b failed')), true);

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq(
  $$select n.name, r.notification_status::text
      from notify.retry_failed_notifications(notification_ids => current_setting('tests.ids')::bigint[]) r
      join notify.ent_notification n on n.id = r.notification_id order by 1$$,
  $$values ('a failed 1', 'PENDING'), ('a failed 2', 'PENDING')$$,
  'given every id, a member retries only its enterprise''s FAILED ones and gets them back as PENDING'
);
select is_empty(
  $$select from notify.retry_failed_notifications(enterprise_id => tests.enterprise_b())$$,
  'filtering on another enterprise retries nothing'
);
select tests.clear_authentication();

select results_eq(
  $$select name, notification_status::text from notify.ent_notification where name in ('a sent', 'b failed') order by 1$$,
  $$values ('a sent', 'SENT'), ('b failed', 'FAILED')$$,
  'the SENT notification and the other enterprise''s FAILED one are untouched'
);
select results_eq(
  $$select h.reason, h.changed_by_role from notify.notification_status_history h
      join notify.ent_notification n on n.id = h.notification_id
     where n.name = 'a failed 1' and h.from_status = 'FAILED' and h.to_status = 'PENDING'$$,
  $$values ('manual retry', 'authenticated')$$,
  'the retry is in the status history as a manual retry by the member'
);

select tests.authenticate_as_service_role();
select results_eq(
  $$select count(*) from notify.retry_failed_notifications(notification_ids => current_setting('tests.ids')::bigint[])$$,
  $$values (1::bigint)$$,
  'service_role retries the other enterprise''s one too'
);

select * from finish();
rollback;
