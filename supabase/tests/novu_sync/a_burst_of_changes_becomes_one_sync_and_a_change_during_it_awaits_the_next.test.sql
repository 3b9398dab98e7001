begin;
select plan(8);

select tests.capture_dispatcher_kicks('http://functions.test');
-- Whatever the platform left awaiting or running is not this test's business.
delete from notify_internal.workflow_novu_sync;
delete from notify_internal.novu_sync;

insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, enterprise_id, publish_status)
values ('one', 'novu-burst-one', 'DYNAMIC', '{IN_APP}', tests.enterprise_a(), 'PUBLISH'),
       ('two', 'novu-burst-two', 'DYNAMIC', '{IN_APP}', tests.enterprise_a(), 'PUBLISH');
update notify.ent_notification_workflow set default_channels = '{IN_APP,EMAIL}' where workflow_key = 'novu-burst-one';

select is(notify_internal.claim_novu_sync(1000, 10000, 120) ->> 'state', 'debouncing',
  'changes younger than the debounce wait for the burst to end');
select is((notify_internal.claim_novu_sync(1000, 10000, 120) ->> 'wait_ms')::int, 1000,
  'and say how long');

update notify_internal.workflow_novu_sync set changed_at = now() - interval '2 seconds';
create temp table claim as select notify_internal.claim_novu_sync(1000, 10000, 120) as answer;
select is((select answer ->> 'state' from claim), 'claimed', 'once edits pause, one sync is claimed');
select is((select count(*) from jsonb_object_keys((select covered from notify_internal.novu_sync))), 2::bigint,
  'covering both workflows of the burst');
select is(notify_internal.claim_novu_sync(1000, 10000, 120) ->> 'state', 'busy',
  'a second sync does not start while one runs');

-- Edited while the sync runs: Novu may or may not have seen it.
update notify.ent_notification_workflow set payload_schema = '{"type": "object"}' where workflow_key = 'novu-burst-two';
select ok(notify_internal.finish_novu_sync((select (answer ->> 'sync_id')::bigint from claim), true, 201,
  '{novu-burst-one,novu-burst-two}', null), 'the outcome is recorded');
select results_eq(
  $$select workflow_key from notify_internal.workflow_awaiting_novu_sync order by workflow_key$$,
  $$values ('novu-burst-two')$$,
  'the covered change is synced; the one made during the sync awaits the next');
select results_eq(
  $$select outcome, http_status, synced_workflows from notify_internal.novu_sync$$,
  $$values ('succeeded', 201, '{novu-burst-one,novu-burst-two}'::text[])$$,
  'the sync log says what Novu answered');

select * from finish();
rollback;
