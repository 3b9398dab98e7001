-- notify.cancel_notification queues a notification_cancellation message when it
-- retracts a PROCESSING or SENT notification, but nothing woke the dispatcher:
-- the Novu cancel waited for the next pg_cron sweep (up to a minute, longer than
-- a just-sent message takes to be delivered). This statement trigger kicks the
-- dispatcher once per statement that retracted such a row, after the same
-- transition the cancellation message is written for.

create function notify_internal.kick_dispatcher_after_retraction() returns trigger
language plpgsql
-- Definer: kick_dispatcher is executable by service_role only, while the
-- retraction may come from an authenticated caller through the cancel RPC.
security definer
set search_path = ''
as $$
begin
  if exists (
    select from new_rows n
    join old_rows o on o.id = n.id
    where n.notification_status = 'RETRACTED'
      and o.notification_status in ('PROCESSING', 'SENT')
  ) then
    perform notify_internal.kick_dispatcher();
  end if;
  return null;
end
$$;
comment on function notify_internal.kick_dispatcher_after_retraction() is 'Statement trigger: kicks the dispatcher once when the statement retracted a PROCESSING or SENT notification, so its queued Novu cancel is sent now rather than at the next sweep.';
revoke execute on function notify_internal.kick_dispatcher_after_retraction() from public;

create trigger kick_dispatcher_after_retraction
  after update on notify.ent_notification
  referencing old table as old_rows new table as new_rows
  for each statement
  execute function notify_internal.kick_dispatcher_after_retraction();
