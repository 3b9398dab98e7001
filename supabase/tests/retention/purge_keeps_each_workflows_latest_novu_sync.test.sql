-- The retention purge deletes finished syncs of notify_internal.novu_sync
-- older than retention_novu_sync_days, but keeps each workflow's latest
-- outcome (notify_internal.workflow_latest_novu_sync) and the last sync.
begin;
select plan(6);

select tests.capture_dispatcher_kicks('http://functions.test');
delete from notify_internal.local_setting where name = 'retention_novu_sync_days';
insert into notify_internal.local_setting (name, value) values ('retention_novu_sync_days', '10');
delete from notify_internal.workflow_novu_sync;
delete from notify_internal.novu_sync;
insert into notify_internal.workflow_novu_sync (workflow_id, workflow_key, change_id, synced_change_id, synced_at)
values (-1, 'purge-one', 3, 3, now() - interval '20 days'), (-2, 'purge-two', 4, 2, now() - interval '30 days');

-- Oldest first: -2's last outcome (30 days ago), two old syncs of -1, -1's last
-- (20 days ago), a recent sync of nothing, and a running one.
insert into notify_internal.novu_sync (covered, outcome, started_at, finished_at, error, retry_at)
values ('{"-1": 1, "-2": 2}', 'succeeded', now() - interval '40 days', now() - interval '40 days', null, null),
       ('{"-2": 4}', 'failed', now() - interval '30 days', now() - interval '30 days', 'old failure of two', now()),
       ('{"-1": 2}', 'failed', now() - interval '25 days', now() - interval '25 days', 'old failure of one', now()),
       ('{"-1": 3}', 'succeeded', now() - interval '20 days', now() - interval '20 days', null, null),
       ('{}', 'succeeded', now() - interval '1 day', now() - interval '1 day', 'recent', null);
insert into notify_internal.novu_sync (covered, started_at) values ('{"-2": 4}', now() - interval '1 minute');

select results_eq(
  $$select workflow_key, awaiting_sync, outcome, error from notify_internal.workflow_latest_novu_sync order by workflow_key$$,
  $$values ('purge-one', false, 'succeeded', null::text), ('purge-two', true, 'failed', 'old failure of two')$$,
  'the view shows each workflow''s latest finished sync (a running one is no outcome yet)');

select results_eq(
  $$select deleted from notify_internal.purge_expired_batch(1) where target = 'notify_internal.novu_sync'$$,
  $$values (1::bigint)$$,
  'one batch deletes at most the batch size');
select notify_internal.purge_expired_batch(1000);
select results_eq(
  $$select coalesce(error, outcome) from notify_internal.novu_sync order by id$$,
  $$values ('old failure of two'), ('succeeded'), ('recent'), ('running')$$,
  'syncs past retention are purged except each workflow''s latest outcome; recent and running ones stay');
select results_eq(
  $$select workflow_key, outcome, error from notify_internal.workflow_latest_novu_sync order by workflow_key$$,
  $$values ('purge-one', 'succeeded', null::text), ('purge-two', 'failed', 'old failure of two')$$,
  'every workflow''s latest outcome is still visible after the purge');

-- The last sync stays even past retention (the next sync's backoff counts from it).
delete from notify_internal.novu_sync where outcome = 'running' or error = 'recent';
delete from notify_internal.workflow_novu_sync;
select notify_internal.purge_expired_batch(1000);
select results_eq(
  $$select coalesce(error, outcome) from notify_internal.novu_sync$$,
  $$values ('succeeded')$$,
  'the last sync is kept however old');
select is((select sum(deleted) from notify_internal.purge_expired_batch(1000) where target = 'notify_internal.novu_sync'), 0::numeric,
  'a further batch finds nothing left');

select * from finish();
rollback;
