begin;
select plan(3);

select tests.create_notification_in_status(tests.enterprise_a(), 'pending one', 'PENDING');
select tests.create_notification_in_status(tests.enterprise_a(), 'pending two', 'PENDING');
select tests.create_notification_in_status(tests.enterprise_a(), 'already sent', 'SENT');
create temporary table history_before as select count(*) as n from notify.notification_status_history;

-- Two legal moves (PENDING -> RETRACTED) and one illegal (SENT -> PROCESSING) in one statement.
select throws_ok(
  $$update notify.ent_notification
       set notification_status = case when name = 'already sent' then 'PROCESSING' else 'RETRACTED' end::shared_types.notification_status
     where name in ('pending one', 'already sent', 'pending two')$$,
  '23514', 'illegal notification status transition from SENT to PROCESSING',
  'the statement fails naming the illegal move');
select results_eq(
  $$select name, notification_status::text from notify.ent_notification
     where name in ('pending one', 'pending two', 'already sent') order by id$$,
  $$values ('pending one', 'PENDING'), ('pending two', 'PENDING'), ('already sent', 'SENT')$$,
  'no row moved, the legal moves included');
select is((select count(*) from notify.notification_status_history), (select n from history_before),
  'the failed statement wrote no history');

select * from finish();
rollback;
