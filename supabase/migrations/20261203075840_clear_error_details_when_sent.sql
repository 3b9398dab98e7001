-- A notification that failed transiently and was then delivered kept the
-- error_details of its last failed attempt, so its row read SENT and failing at
-- once. error_details describes the row's current state: SENT clears it. The
-- earlier attempts stay where every attempt is kept, in
-- notify.notification_status_history (details.error_details of each
-- PROCESSING -> PENDING row).

create or replace function notify_internal.enforce_status_transition() returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  perform notify_internal.assert_status_transition(old.notification_status, new.notification_status);
  case new.notification_status
    when 'SENT' then
      new.processed_at := now();
      new.error_details := null;
    when 'FAILED' then
      new.processed_at := now();
    when 'RETRACTED' then
      new.retracted_at := now();
    when 'PENDING' then
      new.processed_at := null;
    else
      null;
  end case;
  return new;
end
$$;
comment on function notify_internal.enforce_status_transition() is 'Trigger: rejects illegal status moves and stamps processed_at (SENT/FAILED, cleared on PENDING) and retracted_at (RETRACTED); SENT clears error_details (earlier failed attempts stay in notify.notification_status_history).';
