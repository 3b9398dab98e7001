-- Manual retry takes a set of notifications in one statement: a bulk retry of
-- thousands of FAILED rows is then one update, one enqueue (the enqueue
-- trigger is per statement) and one dispatcher kick, not one of each per row.
-- The status trigger still checks every row's move: an id that is not FAILED
-- raises "illegal notification status transition" and nothing changes.

drop function notify_internal.retry_failed(bigint);

create function notify_internal.retry_failed(p_ids bigint[])
returns setof notify.ent_notification
language sql
security invoker
set search_path = ''
as $$
  update notify.ent_notification n
  set notification_status = 'PENDING'
  where n.id = any (p_ids)
  returning n.*
$$;
comment on function notify_internal.retry_failed(bigint[]) is 'FAILED -> PENDING (manual retry) of the given notifications in one statement, returning them; the status trigger refuses any that is not FAILED (the whole call fails) and the enqueue trigger sends each a new queue message. The one manual retry rule: notify.retry_failed_notifications calls it.';
revoke execute on function notify_internal.retry_failed(bigint[]) from public;
grant execute on function notify_internal.retry_failed(bigint[]) to service_role;

comment on function notify_internal.move_status(bigint, shared_types.notification_status, jsonb, text) is 'Shared body of mark_sent, mark_failed and release_for_retry: locks the row, checks the move and applies it with its details.';
