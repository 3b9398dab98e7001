-- Indexes behind the dashboard views (previous migration), so each answers
-- within 100 ms on a million notifications (bench/views.ts prints the timings
-- and the indexes each plan uses). Each is small: the time-window ones cover
-- what their view reads without visiting the table (index-only scans), the
-- partial ones hold only the rows of one status. They also serve members: the
-- RLS filter on enterprise_id is applied to the index's included column, and a
-- status condition (enum equality, not leakproof, so never pushed below RLS)
-- is implied by the partial index's predicate instead.

-- dashboard_notification_counts: notifications created in the last day.
create index ent_notification_created_idx on notify.ent_notification (created_at)
  include (enterprise_id, notification_status);

-- dashboard_failures: FAILED rows by when they failed (error_details is read
-- from the table for the few rows of the window).
create index ent_notification_failed_processed_idx on notify.ent_notification (processed_at)
  include (enterprise_id, notification_workflow_id)
  where notification_status = 'FAILED';

-- dashboard_latency: SENT rows by when they were sent, with what the latency is
-- computed from.
create index ent_notification_sent_processed_idx on notify.ent_notification (processed_at)
  include (enterprise_id, created_at, scheduled_for)
  where notification_status = 'SENT';

-- dashboard_stuck_work: the live PENDING and PROCESSING rows only (settled
-- rows, the million, are not in it).
create index ent_notification_live_updated_idx on notify.ent_notification (updated_at)
  include (enterprise_id)
  where notification_status in ('PENDING', 'PROCESSING');

-- dashboard_rule_firings for service_role (members use
-- rule_firing_enterprise_created_idx): firings of the last day.
create index rule_firing_created_idx on notify.rule_firing (created_at);

-- dashboard_delivery_outcomes for service_role (members use
-- delivery_event_enterprise_idx): Novu's message events of the last day.
create index delivery_event_occurred_idx on notify.delivery_event (occurred_at);
