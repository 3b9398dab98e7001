begin;
select plan(3);

-- The fit's update and check take their rows by primary key (migration
-- 20261204200000): fitting one notification must read that notification, not
-- every notification the platform holds (it read the whole table before).
insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, enterprise_id, publish_status)
values ('sms only', 'tap-sms-only', 'DYNAMIC', '{SMS}', tests.enterprise_a(), 'PUBLISH');

create function pg_temp.workflow_id() returns bigint language sql as $$
  select id from notify.ent_notification_workflow where workflow_key = 'tap-sms-only'
$$;

-- Enough rows that a read of the whole table shows, whatever else the platform holds.
insert into notify.ent_notification (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients, channels)
select 'bystander ' || i, tests.enterprise_a(), pg_temp.workflow_id(), 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}', '{SMS}'
  from generate_series(1, 300) i;

-- Rows this transaction has read from ent_notification so far (heap rows a
-- sequential scan returned, plus those index scans fetched).
create function pg_temp.notification_rows_read() returns bigint language sql as $$
  select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)
    from pg_catalog.pg_stat_xact_user_tables
   where relid = 'notify.ent_notification'::regclass
$$;

select pg_temp.notification_rows_read() as before \gset
-- Without it a table this small is read whole by any plan; with it, only a
-- plan that needs every row (a hash or merge join over the table) still reads them.
set local enable_seqscan = off;
insert into notify.ent_notification (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients)
values ('left at the default', tests.enterprise_a(), pg_temp.workflow_id(), 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}');
reset enable_seqscan;

select cmp_ok(
  pg_temp.notification_rows_read() - :before, '<', 10::bigint,
  'fitting one inserted notification reads a few notification rows, not the 300 beside it'
);
select is(
  (select channels::text from notify.ent_notification where name = 'left at the default'), '{SMS}',
  'and fits it: the default channels take the workflow''s'
);
select is(
  (select count(*) from notify.ent_notification where name like 'bystander %' and channels = '{SMS}'), 300::bigint,
  'the others are left as they were'
);

select * from finish();
rollback;
