begin;
select plan(3);

select tests.create_notification(tests.enterprise_a(), 'waiting', 'PUBLISH');
select tests.create_notification(tests.enterprise_a(), 'later', 'PUBLISH', now() + interval '1 hour');
select tests.create_notification(tests.enterprise_b(), 'b waiting', 'PUBLISH');
insert into notify.enterprise_rate_limit (enterprise_id, notifications_per_second, burst, tokens, refilled_at, throttled_since)
values (tests.enterprise_a(), 1, 1, 0, now(), now()), (tests.enterprise_b(), 1, 1, 1, now(), null);

select results_eq(
  $$select name from notify.throttled_notification where enterprise_id in (tests.enterprise_a(), tests.enterprise_b())$$,
  $$values ('waiting')$$,
  'only due, pending notifications of a throttled enterprise show as throttled'
);
select tests.authenticate_as(array[tests.enterprise_b()]);
select is_empty($$select from notify.throttled_notification$$, 'a member of another enterprise does not see them');
select tests.clear_authentication();
update notify.enterprise_rate_limit set throttled_since = null where enterprise_id = tests.enterprise_a();
select is_empty($$select from notify.throttled_notification where enterprise_id = tests.enterprise_a()$$, 'caught up: nothing throttled');

select * from finish();
rollback;
