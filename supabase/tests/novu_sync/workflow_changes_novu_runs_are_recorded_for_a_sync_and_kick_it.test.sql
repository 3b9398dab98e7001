begin;
select plan(9);

select tests.capture_dispatcher_kicks('http://functions.test');
create temp table change_ids (step text, change_id bigint);
create function pg_temp.record_step(p_step text) returns void language sql as $$
  insert into change_ids
  select p_step, (select change_id from notify_internal.workflow_novu_sync s
                   join notify.ent_notification_workflow w on w.id = s.workflow_id
                  where w.workflow_key = 'novu-sync-door')
$$;
create function pg_temp.novu_sync_kicks() returns bigint language sql as $$
  select count(*) from net.http_request_queue where url = 'http://functions.test/novu-sync'
$$;

insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, enterprise_id)
values ('door', 'novu-sync-door', 'DYNAMIC', '{IN_APP}', tests.enterprise_a());
select pg_temp.record_step('draft');
select is((select change_id from change_ids where step = 'draft'), null,
  'a draft Novu never sees records no change');

update notify.ent_notification_workflow set publish_status = 'PUBLISH' where workflow_key = 'novu-sync-door';
select pg_temp.record_step('published');
select isnt((select change_id from change_ids where step = 'published'), null,
  'publishing records a change');
select is(pg_temp.novu_sync_kicks(), 1::bigint, 'and kicks the novu-sync function');

update notify.ent_notification_workflow set default_channels = '{IN_APP,EMAIL}' where workflow_key = 'novu-sync-door';
select pg_temp.record_step('channels');
update notify.ent_notification_workflow set payload_schema = '{"type": "object"}' where workflow_key = 'novu-sync-door';
select pg_temp.record_step('schema');
select ok((select (select change_id from change_ids where step = 'schema')
                > (select change_id from change_ids where step = 'channels')
             and (select change_id from change_ids where step = 'channels')
                > (select change_id from change_ids where step = 'published')),
  'editing the channels, then the payload schema, records a newer change each time');

update notify.ent_notification_workflow set updated_at = now() + interval '1 minute' where workflow_key = 'novu-sync-door';
select pg_temp.record_step('touched');
select is((select change_id from change_ids where step = 'touched'),
          (select change_id from change_ids where step = 'schema'),
  'an update changing nothing Novu sees records no change');

update notify.ent_notification_workflow set deactivated = true where workflow_key = 'novu-sync-door';
select pg_temp.record_step('deactivated');
select cmp_ok((select change_id from change_ids where step = 'deactivated'), '>',
              (select change_id from change_ids where step = 'schema'),
  'deactivating records a change (Novu must forget it)');

update notify.ent_notification_workflow set name = 'door (inactive)' where workflow_key = 'novu-sync-door';
select pg_temp.record_step('inactive edit');
select is((select change_id from change_ids where step = 'inactive edit'),
          (select change_id from change_ids where step = 'deactivated'),
  'editing a workflow Novu does not see records no change');

update notify.ent_notification_workflow set deactivated = false where workflow_key = 'novu-sync-door';
create temp table deleted_workflow as
  select id from notify.ent_notification_workflow where workflow_key = 'novu-sync-door';
select pg_temp.record_step('reactivated');
delete from notify.ent_notification_workflow where workflow_key = 'novu-sync-door';
select cmp_ok((select change_id from notify_internal.workflow_novu_sync
                where workflow_id = (select id from deleted_workflow)), '>',
              (select change_id from change_ids where step = 'reactivated'),
  'deleting a published workflow records a change, kept after the row is gone');

select is(
  (select count(*) from notify_internal.workflow_awaiting_novu_sync
    where workflow_id = (select id from deleted_workflow)),
  1::bigint,
  'the workflow awaits a sync');

select * from finish();
rollback;
