-- Three statement triggers of notify.ent_notification still joined old_rows
-- with new_rows under a nested loop (see
-- 20261203091718_plan_statement_triggers_linearly.sql for why the planner
-- picks one): retime_rescheduled_notifications lost its enable_nestloop = off
-- when 20261204110000 replaced the function (create or replace resets a
-- function's settings), and kick_dispatcher_after_retraction and
-- enqueue_sendable_notifications never had it. Quadratic in the rows of a
-- statement: retracting 20,000 scheduled notifications in one update took
-- 172 s, a tags-only update of the same rows 187 s. Planned without nested
-- loops, joins are hashed: linear. The pgTAP guard
-- schema/transition_table_joins_are_planned_without_nested_loops keeps it so.

alter function notify_internal.retime_rescheduled_notifications() set enable_nestloop = off;
alter function notify_internal.kick_dispatcher_after_retraction() set enable_nestloop = off;
alter function notify_internal.enqueue_sendable_notifications() set enable_nestloop = off;
-- The same join on notify.ent_notification_workflow: small statements today,
-- planned the same way so that no trigger reading both tables is an exception.
alter function notify_internal.record_workflow_changes_for_novu() set enable_nestloop = off;
