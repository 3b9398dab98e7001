-- Retention: how long settled notifications' status history, the pgmq
-- archives and pg_net's response rows are kept, and an hourly pg_cron job that
-- purges what is older in small batches, committing between batches, so no
-- purge holds its row locks for long. Settings (notify_internal.setting: Vault
-- secret xnovu_<name> on hosted projects, notify_internal.local_setting here):
--
--   retention_status_history_days   history rows of a notification settled
--                                   (SENT, FAILED, RETRACTED) longer ago; 90
--   retention_queue_archive_days    pgmq archive rows (notification_dispatch,
--                                   notification_cancellation); 7
--   retention_http_response_days    net._http_response rows; 2 (hosted pg_net
--                                   also drops them after its own pg_net.ttl)
--
-- Notifications themselves are the platform's rows and are never purged here;
-- nor is notify.configuration_audit. Delivery events (issue 11's webhook
-- table) do not exist yet; they join this list when they land.

create function notify_internal.retention_days(p_name text, p_default integer) returns integer
language sql
stable
security invoker
set search_path = ''
as $$
  select coalesce(
    case when notify_internal.setting(p_name) ~ '^[0-9]{1,5}$' then notify_internal.setting(p_name)::integer end,
    p_default)
$$;
comment on function notify_internal.retention_days(text, integer) is 'The retention setting p_name in days (a whole number of days; anything else falls back to p_default).';
revoke execute on function notify_internal.retention_days(text, integer) from public;

create function notify_internal.purge_expired_batch(p_batch_size integer default 1000)
returns table (target text, deleted bigint)
language plpgsql
-- Definer: the status history and the queue archives are written only by
-- definer code; nobody, service_role included, may delete from them directly.
security definer
set search_path = ''
as $$
declare
  v_history_cutoff timestamptz := now() - make_interval(days => notify_internal.retention_days('retention_status_history_days', 90));
  v_archive_cutoff timestamptz := now() - make_interval(days => notify_internal.retention_days('retention_queue_archive_days', 7));
  v_response_cutoff timestamptz := now() - make_interval(days => notify_internal.retention_days('retention_http_response_days', 2));
  v_queue text;
  v_count bigint;
begin
  -- History of settled notifications: the notification is final and its last
  -- move is older than the cutoff.
  delete from notify.notification_status_history h
   where h.id in (
     select h2.id
       from notify.notification_status_history h2
       join notify.ent_notification n on n.id = h2.notification_id
      where n.notification_status in ('SENT', 'FAILED', 'RETRACTED')
        and coalesce(n.retracted_at, n.processed_at) < v_history_cutoff
        and h2.changed_at < v_history_cutoff
      order by h2.id
      limit p_batch_size);
  get diagnostics v_count = row_count;
  target := 'notify.notification_status_history'; deleted := v_count; return next;

  -- pgmq archives, by their tables' archived_at column (pgmq 1.4.4 has no
  -- purge-by-age call).
  foreach v_queue in array array['notification_dispatch', 'notification_cancellation'] loop
    execute format(
      'delete from pgmq.%1$I where msg_id in (select msg_id from pgmq.%1$I where archived_at < $1 order by msg_id limit $2)',
      'a_' || v_queue)
      using v_archive_cutoff, p_batch_size;
    get diagnostics v_count = row_count;
    target := 'pgmq.a_' || v_queue; deleted := v_count; return next;
  end loop;

  if to_regclass('net._http_response') is not null then
    execute 'delete from net._http_response where id in (select id from net._http_response where created < $1 order by id limit $2)'
      using v_response_cutoff, p_batch_size;
    get diagnostics v_count = row_count;
    target := 'net._http_response'; deleted := v_count; return next;
  end if;
end
$$;
comment on function notify_internal.purge_expired_batch(integer) is 'Deletes at most p_batch_size rows past retention from each of: the status history of settled notifications, the pgmq archives of both queues, net._http_response; returns how many per target. notify_internal.purge_expired() repeats it, committing between batches.';
revoke execute on function notify_internal.purge_expired_batch(integer) from public;
grant execute on function notify_internal.purge_expired_batch(integer) to service_role;

create procedure notify_internal.purge_expired(p_batch_size integer default 1000, p_max_batches integer default 100)
language plpgsql
security invoker
-- No `set search_path`: a procedure with a SET clause cannot COMMIT. It names
-- every object with its schema.
as $$
declare
  v_deleted bigint;
begin
  for v_batch in 1 .. p_max_batches loop
    select coalesce(sum(b.deleted), 0) into v_deleted from notify_internal.purge_expired_batch(p_batch_size) b;
    commit;
    exit when v_deleted = 0;
  end loop;
end
$$;
comment on procedure notify_internal.purge_expired(integer, integer) is 'Purges everything past retention in batches of p_batch_size rows per target, committing after each batch (short row locks), at most p_max_batches batches per call; run hourly by the pg_cron job xnovu-retention-purge.';
revoke execute on procedure notify_internal.purge_expired(integer, integer) from public;
grant execute on procedure notify_internal.purge_expired(integer, integer) to service_role;

do $$
begin
  if to_regnamespace('cron') is null then
    raise notice 'pg_cron is not installed: the retention purge is not scheduled';
    return;
  end if;
  perform cron.schedule('xnovu-retention-purge', '17 * * * *', 'call notify_internal.purge_expired()');
end
$$;
