begin;
select plan(3);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());
insert into notify.ent_notification (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients)
select v.name, v.e, w.id, 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}'
from (values ('a one', tests.enterprise_a()), ('a two', tests.enterprise_a()), ('b one', tests.enterprise_b())) v (name, e)
join notify.ent_notification_workflow w on w.workflow_key = 'fixture-workflow-' || left(e::text, 8);
select notify_internal.claim_notifications(array_agg(id)) from notify.ent_notification where name in ('a one', 'a two', 'b one');
select notify_internal.mark_failed(id, '{"kind": "novu_rejected", "message": "first"}') from notify.ent_notification where name = 'a one';
select notify_internal.mark_failed(id, '{"kind": "novu_rejected", "message": "second"}') from notify.ent_notification where name = 'a two';
select notify_internal.mark_failed(id, '{"kind": "schema_invalid", "message": "b"}') from notify.ent_notification where name = 'b one';
update notify.ent_notification set processed_at = now() - interval '1 minute' where name = 'a one';

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq(
  $$select failure_kind, workflow_key, last_hour, last_day, last_error from notify.dashboard_failures$$,
  $$values ('novu_rejected', 'fixture-workflow-a0000000', 2::bigint, 2::bigint, 'second')$$,
  'a member sees its enterprise''s failures grouped by kind and workflow over the last hour and day, with the latest error'
);
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select results_eq(
  $$select enterprise_id, failure_kind from notify.dashboard_failures
     where enterprise_id in (tests.enterprise_a(), tests.enterprise_b()) order by 1$$,
  $$values (tests.enterprise_a(), 'novu_rejected'), (tests.enterprise_b(), 'schema_invalid')$$,
  'service_role sees every enterprise''s failures'
);
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_b()]);
select results_eq(
  $$select last_day from notify.dashboard_failures$$,
  $$values (1::bigint)$$,
  'a member of the other enterprise sees only its own failure'
);

select * from finish();
rollback;
