-- The audit trail stays true for members (issue 7, finding 8):
--   * who created a row, and when, is the database's answer, not the caller's: for
--     `authenticated` callers an insert stamps created_by/updated_by with auth.user_id() and
--     created_at/updated_at with now(), and an update keeps created_by/created_at (updated_*
--     are already stamped by notify_internal.set_updated_columns). service_role, the
--     platform's back end, may still record the user it acts for.
--   * a member may delete a notification only while it has never been processed (PENDING with
--     no status history): once the dispatcher has touched it, the row and its
--     notify.notification_status_history (which a delete would cascade away) are the record
--     of what was sent. To stop one, members cancel it (notify.cancel_notification).

create function notify_internal.stamp_member_authorship() returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.created_by := auth.user_id();
    new.created_at := now();
    new.updated_by := auth.user_id();
    new.updated_at := now();
  else
    new.created_by := old.created_by;
    new.created_at := old.created_at;
  end if;
  return new;
end
$$;
-- The triggers below fire only for authenticated callers (their `when` clause), so the
-- platform's bulk inserts as service_role pay nothing.
comment on function notify_internal.stamp_member_authorship() is 'Trigger (authenticated callers only): stamps created_by/created_at/updated_by/updated_at on insert and keeps created_by/created_at on update, so members cannot forge authorship.';
revoke execute on function notify_internal.stamp_member_authorship() from public;

do $$
declare
  v_table text;
begin
  foreach v_table in array array[
    'typ_notification_category', 'typ_notification_priority', 'ent_notification_template',
    'ent_notification_workflow', 'ent_notification_rule', 'ent_notification'
  ] loop
    execute format(
      'create trigger stamp_member_authorship before insert or update on notify.%I '
      'for each row when (current_user = ''authenticated'') '
      'execute function notify_internal.stamp_member_authorship()',
      v_table
    );
  end loop;
end
$$;

create function notify_internal.refuse_member_delete_of_processed_notification() returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  if old.notification_status <> 'PENDING' or exists (
    select 1 from notify.notification_status_history as history
     where history.notification_id = old.id
  ) then
    raise exception 'notification % cannot be deleted: it has been processed (status %), and its record and status history are kept', old.id, old.notification_status
      using errcode = 'insufficient_privilege',
        hint = 'cancel it with notify.cancel_notification(id, reason) instead';
  end if;
  return old;
end
$$;
comment on function notify_internal.refuse_member_delete_of_processed_notification() is 'Trigger (authenticated callers only): refuses a delete of a notification that has left PENDING or has status history; its row and history are the audit trail.';
revoke execute on function notify_internal.refuse_member_delete_of_processed_notification() from public;

create trigger refuse_member_delete_of_processed_notification
  before delete on notify.ent_notification
  for each row when (current_user = 'authenticated')
  execute function notify_internal.refuse_member_delete_of_processed_notification();
