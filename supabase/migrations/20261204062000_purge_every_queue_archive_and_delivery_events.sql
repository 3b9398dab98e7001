-- Retention covers every pgmq queue's archive (the intake, the urgent queue,
-- every per-enterprise lane nl<band>_<enterprise>, cancellations, rule
-- events), not only the first two queues, and Novu's delivery events
-- (notify.delivery_event), kept retention_delivery_event_days (default 90).
-- A purged delivery event can no longer be recognised as a replay by its ids,
-- but Svix's signatures expire after five minutes
-- (https://docs.svix.com/receiving/verifying-payloads/how-manual), so an event
-- that old is refused as stale anyway.
-- The settings are read by the one whole-number reader,
-- notify_internal.setting_integer; retention_days, its copy, goes.

create or replace function notify_internal.purge_expired_batch(p_batch_size integer default 1000)
returns table (target text, deleted bigint)
language plpgsql
-- Definer: the status history, the queue archives and the delivery events are
-- written only by definer code; nobody, service_role included, may delete
-- from them directly.
security definer
set search_path = ''
as $$
declare
  v_history_cutoff timestamptz := now() - make_interval(days => notify_internal.setting_integer('retention_status_history_days', 90));
  v_archive_cutoff timestamptz := now() - make_interval(days => notify_internal.setting_integer('retention_queue_archive_days', 7));
  v_response_cutoff timestamptz := now() - make_interval(days => notify_internal.setting_integer('retention_http_response_days', 2));
  v_delivery_cutoff timestamptz := now() - make_interval(days => greatest(1, notify_internal.setting_integer('retention_delivery_event_days', 90)));
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

  -- Every queue's archive, by its archived_at column (pgmq 1.4.4 has no
  -- purge-by-age call).
  for v_queue in select q.queue_name from pgmq.list_queues() q order by q.queue_name loop
    execute format(
      'delete from pgmq.%1$I where msg_id in (select msg_id from pgmq.%1$I where archived_at < $1 order by msg_id limit $2)',
      'a_' || v_queue)
      using v_archive_cutoff, p_batch_size;
    get diagnostics v_count = row_count;
    target := 'pgmq.a_' || v_queue; deleted := v_count; return next;
  end loop;

  delete from notify.delivery_event e
   where e.id in (
     select e2.id from notify.delivery_event e2
      where e2.received_at < v_delivery_cutoff
      order by e2.id
      limit p_batch_size);
  get diagnostics v_count = row_count;
  target := 'notify.delivery_event'; deleted := v_count; return next;

  if to_regclass('net._http_response') is not null then
    execute 'delete from net._http_response where id in (select id from net._http_response where created < $1 order by id limit $2)'
      using v_response_cutoff, p_batch_size;
    get diagnostics v_count = row_count;
    target := 'net._http_response'; deleted := v_count; return next;
  end if;
end
$$;
comment on function notify_internal.purge_expired_batch(integer) is 'Deletes at most p_batch_size rows past retention from each of: the status history of settled notifications, every pgmq queue''s archive, Novu''s delivery events, net._http_response; returns how many per target. notify_internal.purge_expired() repeats it, committing between batches.';

create index delivery_event_received_idx on notify.delivery_event (received_at);
comment on index notify.delivery_event_received_idx is 'Serves the retention purge of delivery events by age.';

drop function notify_internal.retention_days(text, integer);
