-- A notification that becomes sendable (PUBLISH, active, PENDING) by insert or
-- update gets exactly one message in pgmq queue notification_dispatch, in the
-- same transaction. Statement-level triggers with transition tables keep bulk
-- inserts cheap: one send_batch per distinct delay, one dispatcher kick per
-- statement.

create function notify_internal.kick_dispatcher() returns void
language plpgsql
-- Definer: reads the service role key through notify_internal.setting() and
-- calls net.http_post, neither of which the inserting role may use itself.
security definer
set search_path = ''
as $$
declare
  v_functions_url text := notify_internal.setting('functions_url');
begin
  if v_functions_url is null or to_regnamespace('net') is null then
    return;
  end if;
  -- Dynamic SQL so this compiles where pg_net is not installed.
  execute 'select net.http_post(url := $1, body := $2, headers := $3, timeout_milliseconds := $4)'
    using
      v_functions_url || '/dispatcher',
      jsonb_build_object('reason', 'enqueue'),
      jsonb_build_object(
        'Content-Type', 'application/json',
        'Authorization', 'Bearer ' || coalesce(notify_internal.setting('service_role_key'), '')
      ),
      5000;
end
$$;
comment on function notify_internal.kick_dispatcher() is 'Asks the dispatcher edge function (through pg_net, after commit) to process the queue now; does nothing when functions_url is unset or pg_net is absent, leaving the pg_cron sweep to pick the work up.';
revoke execute on function notify_internal.kick_dispatcher() from public;
grant execute on function notify_internal.kick_dispatcher() to service_role;

create function notify_internal.is_sendable(
  p_publish_status shared_types.publish_status,
  p_deactivated boolean,
  p_status shared_types.notification_status
) returns boolean
language sql
immutable
security invoker
-- No `set search_path`: a function with a SET clause is never inlined, and the
-- statement triggers below evaluate this once per row (10,000 calls for a bulk
-- insert cost ~40 ms when not inlined). It names no database object, so the
-- search path cannot change its meaning.
as $$
  select p_publish_status = 'PUBLISH' and not p_deactivated and p_status = 'PENDING'
$$;
comment on function notify_internal.is_sendable(shared_types.publish_status, boolean, shared_types.notification_status) is 'A notification waits in the dispatch queue exactly when it is PUBLISH, not deactivated and PENDING.';
revoke execute on function notify_internal.is_sendable(shared_types.publish_status, boolean, shared_types.notification_status) from public;

create function notify_internal.enqueue_sendable_notifications() returns trigger
language plpgsql
-- Definer: writing to pgmq and kicking the dispatcher are not privileges the
-- inserting role (authenticated, service_role) holds itself.
security definer
set search_path = ''
as $$
declare
  v_ids bigint[];
  v_scheduled_for timestamptz[];
  v_batch record;
begin
  -- Two queries because old_rows exists only in the update trigger; plpgsql
  -- plans each on first use, so the insert path never resolves old_rows.
  if tg_op = 'INSERT' then
    select array_agg(n.id), array_agg(n.scheduled_for)
    into v_ids, v_scheduled_for
    from new_rows n
    where notify_internal.is_sendable(n.publish_status, n.deactivated, n.notification_status);
  else
    select array_agg(n.id), array_agg(n.scheduled_for)
    into v_ids, v_scheduled_for
    from new_rows n
    join old_rows o on o.id = n.id
    where notify_internal.is_sendable(n.publish_status, n.deactivated, n.notification_status)
      -- Published twice: it already has its message. PROCESSING -> PENDING is
      -- a retry that keeps its existing message.
      and not notify_internal.is_sendable(o.publish_status, o.deactivated, o.notification_status)
      and o.notification_status <> 'PROCESSING';
  end if;

  if v_ids is null then
    return null;
  end if;

  for v_batch in
    select
      greatest(0, ceil(extract(epoch from s.scheduled_for - now())))::integer as delay_seconds,
      array_agg(jsonb_build_object('notification_id', s.id) order by s.id) as messages
    from unnest(v_ids, v_scheduled_for) as s (id, scheduled_for)
    group by 1
  loop
    perform pgmq.send_batch(queue_name => 'notification_dispatch', msgs => v_batch.messages, delay => v_batch.delay_seconds);
  end loop;

  perform notify_internal.kick_dispatcher();
  return null;
end
$$;
comment on function notify_internal.enqueue_sendable_notifications() is 'Statement trigger: sends one notification_dispatch message {"notification_id": id} per row that became sendable (delayed until scheduled_for), then kicks the dispatcher once.';
revoke execute on function notify_internal.enqueue_sendable_notifications() from public;

create trigger enqueue_inserted_notifications
  after insert on notify.ent_notification
  referencing new table as new_rows
  for each statement
  execute function notify_internal.enqueue_sendable_notifications();

create trigger enqueue_updated_notifications
  after update on notify.ent_notification
  referencing old table as old_rows new table as new_rows
  for each statement
  execute function notify_internal.enqueue_sendable_notifications();
