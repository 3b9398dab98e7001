begin;
select plan(3);

select tests.create_notification_in_status(tests.enterprise_a(), 'a sent', 'SENT');
select tests.create_notification_in_status(tests.enterprise_a(), 'a failed', 'FAILED');
select tests.create_notification_in_status(tests.enterprise_b(), 'b sent', 'SENT');
update notify.ent_notification set created_at = now() - interval '3 hours' where name = 'a failed';

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq(
  $$select notification_status::text, last_hour, last_day from notify.dashboard_notification_counts order by 1$$,
  $$values ('FAILED', 0::bigint, 1::bigint), ('SENT', 1::bigint, 1::bigint)$$,
  'a member counts its enterprise''s notifications by status over the last hour and day'
);
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select results_eq(
  $$select enterprise_id, notification_status::text from notify.dashboard_notification_counts
     where enterprise_id in (tests.enterprise_a(), tests.enterprise_b()) order by 1, 2$$,
  $$values (tests.enterprise_a(), 'FAILED'), (tests.enterprise_a(), 'SENT'), (tests.enterprise_b(), 'SENT')$$,
  'service_role sees every enterprise'
);
select tests.clear_authentication();

update notify.ent_notification set created_at = now() - interval '2 days' where name = 'b sent';
select is_empty(
  $$select from notify.dashboard_notification_counts where enterprise_id = tests.enterprise_b()$$,
  'a notification created more than a day ago is not counted'
);

select * from finish();
rollback;
