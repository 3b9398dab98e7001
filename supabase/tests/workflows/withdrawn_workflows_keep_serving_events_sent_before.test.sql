begin;
select plan(9);

select tests.create_enterprise_fixture(tests.enterprise_a());
insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, enterprise_id, publish_status)
  values ('to delete', 'fixture-workflow-to-delete', 'DYNAMIC', '{IN_APP}', tests.enterprise_a(), 'PUBLISH');
select tests.create_notification_in_status(tests.enterprise_a(), 'sent before', 'SENT');
select tests.create_notification_in_status(tests.enterprise_a(), 'retracted before', 'RETRACTED');
create function pg_temp.served(p_name text, p_key text, p_enterprise uuid default tests.enterprise_a()) returns jsonb
language sql as $$
  select notify_internal.withdrawn_workflow_for_event(n.id, p_enterprise, p_key)
  from notify.ent_notification n where n.name = p_name
$$;

update notify.ent_notification_workflow set description = 'edited' where workflow_key = 'fixture-workflow-a0000000';
select is(pg_temp.served('sent before', 'fixture-workflow-a0000000'), null, 'a published workflow is served as it is, nothing is kept');

update notify.ent_notification_workflow set publish_status = 'DRAFT' where workflow_key = 'fixture-workflow-a0000000';
select is(
  pg_temp.served('sent before', 'fixture-workflow-a0000000') - 'id' - 'updated_at',
  jsonb_build_object(
    'workflow_key', 'fixture-workflow-a0000000', 'workflow_type', 'DYNAMIC', 'name', 'fixture',
    'description', 'edited', 'enterprise_id', tests.enterprise_a()::text, 'default_channels', jsonb_build_array('IN_APP'),
    'payload_schema', null, 'template_overrides', null
  ),
  'an unpublished workflow is served, as it was, to a notification sent before'
);
select is((select withdrawal from notify_internal.withdrawn_workflow where workflow_key = 'fixture-workflow-a0000000'), 'unpublished', 'recorded as unpublished');
select is(pg_temp.served('sent before', 'fixture-workflow-a0000000', tests.enterprise_b()), null, 'never to an envelope naming another enterprise');
select is(pg_temp.served('retracted before', 'fixture-workflow-a0000000'), null, 'nor to a notification no longer SENT');

delete from notify.ent_notification_workflow where workflow_key = 'fixture-workflow-to-delete';
select is(pg_temp.served('sent before', 'fixture-workflow-to-delete') ->> 'workflow_key', 'fixture-workflow-to-delete', 'a deleted workflow is served to a notification sent before');
select is((select withdrawal from notify_internal.withdrawn_workflow where workflow_key = 'fixture-workflow-to-delete'), 'deleted', 'recorded as deleted');

select tests.create_notification_in_status(tests.enterprise_a(), 'sent after', 'SENT');
update notify.ent_notification set processed_at = now() + interval '1 second' where name = 'sent after';
select is(pg_temp.served('sent after', 'fixture-workflow-to-delete'), null, 'a notification sent after the withdrawal is not served it');

select tests.authenticate_as(array[tests.enterprise_a()]);
select throws_ok($$select count(*) from notify_internal.withdrawn_workflow$$, '42501', null, 'members cannot read the kept workflows');
select tests.clear_authentication();

select * from finish();
rollback;
