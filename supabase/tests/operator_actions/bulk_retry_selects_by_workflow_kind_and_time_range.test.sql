begin;
select plan(4);

select tests.create_enterprise_fixture(tests.enterprise_a());
insert into notify.ent_notification (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients)
select v.name, tests.enterprise_a(), case when v.on_fixture then w.id end, 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}'
from (values ('old rejected', true), ('new rejected', true), ('new timeout', true), ('no workflow', false)) v (name, on_fixture)
cross join notify.ent_notification_workflow w where w.workflow_key = 'fixture-workflow-a0000000';
select notify_internal.claim_notifications(array_agg(id)) from notify.ent_notification where name in ('old rejected', 'new rejected', 'new timeout', 'no workflow');
select notify_internal.mark_failed(id, case when name = 'new timeout' then '{"kind": "timeout"}'::jsonb else '{"kind": "novu_rejected"}' end)
from notify.ent_notification where name in ('old rejected', 'new rejected', 'new timeout', 'no workflow');
update notify.ent_notification set processed_at = now() - interval '2 days' where name = 'old rejected';

select tests.authenticate_as_service_role();
select results_eq(
  $$select n.name from notify.retry_failed_notifications(enterprise_id => tests.enterprise_a(), workflow_key => 'fixture-workflow-a0000000',
                                                          failure_kind => 'novu_rejected', failed_after => now() - interval '1 day') r
      join notify.ent_notification n on n.id = r.notification_id$$,
  $$values ('new rejected')$$,
  'every filter given applies: the workflow, the failure kind and the time range'
);
select results_eq(
  $$select n.name from notify.retry_failed_notifications(enterprise_id => tests.enterprise_a(), failed_before => now() - interval '1 day') r
      join notify.ent_notification n on n.id = r.notification_id$$,
  $$values ('old rejected')$$,
  'failed_before selects the older failure'
);
select results_eq(
  $$select count(*) from notify.retry_failed_notifications(enterprise_id => tests.enterprise_a(), max_rows => 1)$$,
  $$values (1::bigint)$$,
  'max_rows caps one call'
);
select tests.clear_authentication();

select results_eq(
  $$select count(*) from notify.ent_notification where enterprise_id = tests.enterprise_a() and notification_status = 'FAILED'$$,
  $$values (1::bigint)$$,
  'one FAILED notification is left'
);

select * from finish();
rollback;
