begin;
select plan(8);

select tests.capture_dispatcher_kicks('http://functions.test');
delete from notify_internal.workflow_novu_sync;
delete from notify_internal.novu_sync;
insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, enterprise_id, publish_status)
values ('one', 'novu-retry-one', 'DYNAMIC', '{IN_APP}', tests.enterprise_a(), 'PUBLISH');

create temp table first_sync as select (notify_internal.claim_novu_sync(0, 0, 120) ->> 'sync_id')::bigint as id;
select ok(notify_internal.finish_novu_sync((select id from first_sync), false, 503, null, 'Novu answered 503'),
  'a failed sync is recorded');
select is((select retry_at - finished_at from notify_internal.novu_sync where id = (select id from first_sync)),
  interval '2 seconds', 'the first failure is retried 2 s later');
select is(notify_internal.claim_novu_sync(0, 0, 120) ->> 'state', 'backing_off', 'no sync starts before then');
select results_eq($$select workflow_key from notify_internal.workflow_awaiting_novu_sync$$,
  $$values ('novu-retry-one')$$, 'the workflow still awaits its sync');

update notify_internal.novu_sync set retry_at = now() - interval '1 second';
create temp table second_sync as select (notify_internal.claim_novu_sync(0, 0, 120) ->> 'sync_id')::bigint as id;
select isnt((select id from second_sync), null, 'past retry_at the sync is retried');
select ok(notify_internal.finish_novu_sync((select id from second_sync), false, null, null, 'Novu unreachable'),
  'so is a sync that never reached Novu');
select is((select retry_at - finished_at from notify_internal.novu_sync where id = (select id from second_sync)),
  interval '4 seconds', 'a second failure in a row doubles the wait');

-- A sync whose function died holds no lease forever.
update notify_internal.novu_sync set retry_at = null where id = (select id from second_sync);
insert into notify_internal.novu_sync (covered, started_at) values ('{}', now() - interval '5 minutes');
select is(notify_internal.claim_novu_sync(0, 0, 120) ->> 'state', 'claimed',
  'a sync running past its lease is recorded failed and a new one starts');

select * from finish();
rollback;
