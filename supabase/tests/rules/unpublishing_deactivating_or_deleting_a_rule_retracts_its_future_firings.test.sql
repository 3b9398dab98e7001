begin;
select plan(3);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_rule(tests.enterprise_a(), 'unpublished', 'CRON', '{"cron": "0 9 * * 1"}');
select tests.create_rule(tests.enterprise_a(), 'deactivated', 'CRON', '{"cron": "0 9 * * 1"}');
select tests.create_rule(tests.enterprise_a(), 'deleted', 'CRON', '{"cron": "0 9 * * 1"}');
select count(*) from notify_internal.record_rule_firings((
  select jsonb_agg(tests.firing(id, '2030-01-07T09:00:00Z')) from notify.ent_notification_rule where name in ('unpublished', 'deactivated', 'deleted')));
select id as deleted_id from notify.ent_notification_rule where name = 'deleted' \gset

update notify.ent_notification_rule set publish_status = 'DRAFT' where name = 'unpublished';
update notify.ent_notification_rule set deactivated = true where name = 'deactivated';
delete from notify.ent_notification_rule where name = 'deleted';

select results_eq(
  $$select n.retraction_reason from notify.ent_notification n join notify.ent_notification_rule r on r.id = n.notification_rule_id
    where r.name = 'unpublished' and n.notification_status = 'RETRACTED'$$,
  $$select format('rule %s "unpublished" changed (publish_status)', id) from notify.ent_notification_rule where name = 'unpublished'$$,
  'unpublishing retracts');
select results_eq(
  $$select n.retraction_reason from notify.ent_notification n join notify.ent_notification_rule r on r.id = n.notification_rule_id
    where r.name = 'deactivated' and n.notification_status = 'RETRACTED'$$,
  $$select format('rule %s "deactivated" changed (deactivated)', id) from notify.ent_notification_rule where name = 'deactivated'$$,
  'deactivating retracts');
select results_eq(
  format($$select count(*)::int from notify.ent_notification where notification_status = 'RETRACTED' and retraction_reason = 'rule %s "deleted" was deleted'$$, :deleted_id),
  $$values (1)$$, 'deleting retracts, the reason naming the deleted rule');

select * from finish();
rollback;
