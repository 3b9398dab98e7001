-- Novu answered workflow_not_found: the dispatcher calls novu_sync_states with
-- p_resync, which counts a re-sync of the notification (its next trigger goes
-- under a new Idempotency-Key), requests a sync of its workflow (kicking
-- novu-sync) and holds the notification for it. A workflow already awaiting a
-- sync keeps its change (its debounce is not pushed out).
begin;
select plan(7);

select tests.capture_dispatcher_kicks('http://functions.test');
delete from notify_internal.workflow_novu_sync;
delete from notify_internal.novu_sync;
insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, enterprise_id, publish_status)
values ('lost', 'novu-lost-workflow', 'DYNAMIC', '{IN_APP}', tests.enterprise_a(), 'PUBLISH');
-- Novu was synced with it (then lost it).
update notify_internal.workflow_novu_sync set synced_change_id = change_id, synced_at = now();
create temp table lost as
  select tests.create_notification(tests.enterprise_a(), 'lost', 'PUBLISH') as id;
update notify.ent_notification
   set notification_workflow_id = (select id from notify.ent_notification_workflow where workflow_key = 'novu-lost-workflow')
 where id = (select id from lost);
select notify_internal.claim_notifications(array[(select id from lost)]);
create temp table kicks_before as
  select count(*) as n from net.http_request_queue where url like '%/novu-sync';

select is_empty(
  $$select * from notify_internal.novu_sync_states(array[(select id from lost)])$$,
  'without p_resync a synced workflow holds nothing');
select results_eq(
  $$select workflow_key, held, overdue, resyncs from notify_internal.novu_sync_states(array[(select id from lost)], true)$$,
  $$values ('novu-lost-workflow', true, false, 1)$$,
  'with p_resync the notification is held for a new sync of its workflow, its first re-sync');
select results_eq(
  $$select workflow_key from notify_internal.workflow_awaiting_novu_sync$$,
  $$values ('novu-lost-workflow')$$,
  'the workflow awaits a sync');
select ok(
  (select count(*) from net.http_request_queue where url like '%/novu-sync') > (select n from kicks_before),
  'the novu-sync function is kicked');

create temp table change_before as
  select change_id from notify_internal.workflow_novu_sync where workflow_key = 'novu-lost-workflow';
select notify_internal.novu_sync_states(array[(select id from lost)], true);
select is(
  (select change_id from notify_internal.workflow_novu_sync where workflow_key = 'novu-lost-workflow'),
  (select change_id from change_before),
  'a workflow already awaiting a sync is not recorded again');
select is((select resyncs from notify_internal.notification_novu_resync where notification_id = (select id from lost)), 2,
  'but the notification''s re-syncs are counted again (each refused key is replayed by Novu)');

-- Synced again: no longer held, but its re-syncs still name its next key.
update notify_internal.workflow_novu_sync set synced_change_id = change_id, synced_at = now();
select results_eq(
  $$select held, overdue, resyncs from notify_internal.novu_sync_states(array[(select id from lost)])$$,
  $$values (false, false, 2)$$,
  'a re-synced notification whose workflow is synced is not held and keeps its re-sync count');

select * from finish();
rollback;
