begin;
select plan(3);

insert into notify.ent_notification (name, enterprise_id, publish_status, payload, recipients)
select 'batch ' || i, tests.enterprise_a(), 'PUBLISH', '{}', array[gen_random_uuid()]
  from generate_series(1, 5) as i;
select tests.create_notification_in_status(tests.enterprise_a(), 'already sent', 'SENT');
create temporary table sent_history_before as
  select count(*)::int as n from notify.notification_status_history h
    join notify.ent_notification n on n.id = h.notification_id where n.name = 'already sent';

-- One statement moves five rows and leaves the sixth as it was.
update notify.ent_notification
   set notification_status = case when name like 'batch %' then 'PROCESSING'::shared_types.notification_status else notification_status end,
       tags = array['touched']
 where name like 'batch %' or name = 'already sent';

select results_eq(
  $$select n.name, h.from_status::text, h.to_status::text
      from notify.notification_status_history h
      join notify.ent_notification n on n.id = h.notification_id
     where n.name like 'batch %'
     order by h.id$$,
  $$values ('batch 1', 'PENDING', 'PROCESSING'), ('batch 2', 'PENDING', 'PROCESSING'),
           ('batch 3', 'PENDING', 'PROCESSING'), ('batch 4', 'PENDING', 'PROCESSING'),
           ('batch 5', 'PENDING', 'PROCESSING')$$,
  'each moved notification has exactly one history row, in id order');
select is(
  (select count(*)::int from notify.notification_status_history h
     join notify.ent_notification n on n.id = h.notification_id where n.name = 'already sent'),
  (select n from sent_history_before),
  'a row the statement updated without changing its status gets no history row');
select is(
  (select count(distinct (changed_by_role, changed_at))::int from notify.notification_status_history h
     join notify.ent_notification n on n.id = h.notification_id where n.name like 'batch %'),
  1, 'the moves of one statement share who made them and when');

select * from finish();
rollback;
