begin;
select plan(3);

select tests.create_notification_in_status(tests.enterprise_a(), 'a failed', 'FAILED');
select tests.authenticate_as_service_role();
select throws_ok(
  $$select notify.retry_failed_notifications()$$,
  '22023', 'give notification_ids or at least one filter (enterprise_id, workflow_key, failure_kind, failed_after, failed_before)',
  'a retry of everything by accident is refused'
);
select throws_ok(
  $$select notify.retract_pending_notifications(reason => 'oops')$$,
  '22023', 'give notification_ids or at least one filter (enterprise_id, workflow_key, created_after, created_before)',
  'a retraction of everything by accident is refused'
);
select throws_ok(
  $$select notify.retry_failed_notifications(enterprise_id => tests.enterprise_a(), max_rows => 0)$$,
  '22023', 'max_rows must be between 1 and 10000',
  'max_rows is bounded'
);

select * from finish();
rollback;
