begin;
select plan(4);

select tests.create_notification_in_status(tests.enterprise_a(), 'a processing', 'PROCESSING');
select tests.create_notification_in_status(tests.enterprise_a(), 'a pending', 'PENDING');
select tests.create_notification_in_status(tests.enterprise_a(), 'a fresh', 'PENDING');
select tests.create_notification_in_status(tests.enterprise_b(), 'b processing', 'PROCESSING');
select tests.create_notification_in_status(tests.enterprise_b(), 'b cancelled', 'SENT');
select notify.cancel_notification(id, 'moved out') from notify.ent_notification where name = 'b cancelled';
-- updated_at is stamped by a trigger; back-date with it disabled.
alter table notify.ent_notification disable trigger user;
update notify.ent_notification set updated_at = now() - interval '10 minutes'
 where name in ('a processing', 'a pending', 'b processing');
alter table notify.ent_notification enable trigger user;

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq(
  $$select kind, name from notify.dashboard_stuck_work order by 1$$,
  $$values ('pending_overdue', 'a pending'), ('processing_past_lease', 'a processing')$$,
  'a member sees its enterprise''s overdue PENDING and PROCESSING rows, not a fresh one nor another enterprise''s'
);
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_b()]);
select results_eq(
  $$select kind, name, details ->> 'attempts' from notify.dashboard_stuck_work order by 1$$,
  $$values ('cancellation_unconfirmed', 'b cancelled', '0'), ('processing_past_lease', 'b processing', null)$$,
  'the other member sees its unconfirmed cancellation and its stuck row'
);
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select results_eq(
  $$select count(*) from notify.dashboard_stuck_work where enterprise_id in (tests.enterprise_a(), tests.enterprise_b())$$,
  $$values (4::bigint)$$,
  'service_role sees every enterprise''s stuck work'
);
select tests.clear_authentication();

delete from pgmq.q_notification_cancellation;
select is_empty(
  $$select from notify.dashboard_stuck_work where kind = 'cancellation_unconfirmed' and enterprise_id = tests.enterprise_b()$$,
  'a confirmed cancellation (its message deleted) is no longer listed'
);

select * from finish();
rollback;
