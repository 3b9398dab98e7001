-- A notification whose workflow awaits a Novu sync is held, but only for
-- novu_sync_wait_limit_ms (default 10 minutes) counted from its own first wait
-- (error_details.waiting_since of its previous wait); then it is overdue and
-- the dispatcher FAILs it.
begin;
select plan(10);

select tests.capture_dispatcher_kicks('http://functions.test');
delete from notify_internal.local_setting where name = 'novu_sync_wait_limit_ms';
delete from notify_internal.workflow_novu_sync;
delete from notify_internal.novu_sync;
insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, enterprise_id, publish_status)
values ('held', 'novu-held-workflow', 'DYNAMIC', '{IN_APP}', tests.enterprise_a(), 'PUBLISH');
create temp table held as
  select tests.create_notification(tests.enterprise_a(), 'held', 'PUBLISH') as id;
update notify.ent_notification
   set notification_workflow_id = (select id from notify.ent_notification_workflow where workflow_key = 'novu-held-workflow')
 where id = (select id from held);
select notify_internal.claim_notifications(array[(select id from held)]);

-- The dispatcher's round trip: released after a failure of this kind whose
-- details say it began waiting p_ago ago, then claimed again.
create function pg_temp.released_and_claimed(p_kind text, p_ago interval) returns void language sql as $$
  select notify_internal.release_for_retry((select id from held), jsonb_build_object(
    'kind', p_kind, 'waiting_since', now() - p_ago));
  select notify_internal.claim_notifications(array[(select id from held)]);
$$;

select results_eq(
  $$select workflow_key, waiting_since = now(), overdue, wait_limit_ms, last_sync_error
      from notify_internal.novu_sync_states(array[(select id from held)])$$,
  $$values ('novu-held-workflow', true, false, 600000, null::text)$$,
  'a first hold starts the wait now; the limit defaults to 10 minutes');

-- Released to wait, then claimed again: the wait goes on from its first hold.
select pg_temp.released_and_claimed('awaiting_novu_sync', interval '9 minutes');
select results_eq(
  $$select waiting_since, overdue from notify_internal.novu_sync_states(array[(select id from held)])$$,
  $$values (now() - interval '9 minutes', false)$$,
  'a later hold keeps waiting_since of the previous wait');

select pg_temp.released_and_claimed('awaiting_novu_sync', interval '10 minutes');
select results_eq(
  $$select overdue from notify_internal.novu_sync_states(array[(select id from held)])$$,
  $$values (true)$$,
  'waiting 10 minutes is overdue');

insert into notify_internal.local_setting (name, value) values ('novu_sync_wait_limit_ms', '20000');
select pg_temp.released_and_claimed('awaiting_novu_sync', interval '19 seconds');
select results_eq(
  $$select overdue, wait_limit_ms from notify_internal.novu_sync_states(array[(select id from held)])$$,
  $$values (false, 20000)$$,
  'the limit is the setting novu_sync_wait_limit_ms (19 s of 20 s)');
select pg_temp.released_and_claimed('awaiting_novu_sync', interval '20 seconds');
select results_eq(
  $$select overdue from notify_internal.novu_sync_states(array[(select id from held)])$$,
  $$values (true)$$,
  '20 s of 20 s is overdue');

-- Another failure in between (not a wait for a sync) starts the wait again.
select pg_temp.released_and_claimed('novu_unavailable', interval '1 hour');
select results_eq(
  $$select waiting_since = now(), overdue from notify_internal.novu_sync_states(array[(select id from held)])$$,
  $$values (true, false)$$,
  'a wait after another kind of failure starts now');

-- The last sync's error is reported with the hold.
insert into notify_internal.novu_sync (covered, outcome, finished_at, error, retry_at)
values ('{}', 'failed', now(), 'Novu refused the sync (500): down', now() + interval '2 seconds');
select is(
  (select last_sync_error from notify_internal.novu_sync_states(array[(select id from held)])),
  'Novu refused the sync (500): down',
  'the hold carries the last sync''s error');

create temp table change_before as
  select change_id from notify_internal.workflow_novu_sync where workflow_key = 'novu-held-workflow';
select notify_internal.novu_sync_states(array[(select id from held)], false);
select is(
  (select change_id from notify_internal.workflow_novu_sync where workflow_key = 'novu-held-workflow'),
  (select change_id from change_before),
  'a hold does not request a sync by itself: the workflow still awaits the same change');

-- Synced: nothing holds it any more.
update notify_internal.workflow_novu_sync set synced_change_id = change_id, synced_at = now();
select is_empty(
  $$select * from notify_internal.novu_sync_states(array[(select id from held)])$$,
  'a notification whose workflow Novu has been synced with is not held');
select is_empty(
  $$select * from notify_internal.novu_sync_states(array[(select tests.create_notification(tests.enterprise_a(), 'no workflow', 'PUBLISH'))])$$,
  'a notification without a workflow is not held');

select * from finish();
rollback;
