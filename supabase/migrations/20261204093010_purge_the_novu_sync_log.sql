-- The Novu sync log (notify_internal.novu_sync, one row per sync) is purged by
-- the retention job like the other logs: finished syncs older than
-- retention_novu_sync_days (default 30). What a reader needs from old rows is
-- each workflow's latest outcome, so the view workflow_latest_novu_sync shows
-- it and the purge keeps the rows it shows, however old, and the last sync
-- (the backoff of the next one counts from it).

create index novu_sync_covered_idx on notify_internal.novu_sync using gin (covered);
comment on index notify_internal.novu_sync_covered_idx is 'Finds the syncs that covered a workflow (covered ? workflow id): workflow_latest_novu_sync and the retention purge.';

create view notify_internal.workflow_latest_novu_sync
with (security_invoker = true)
as
select w.workflow_id, w.workflow_key, w.synced_change_id is distinct from w.change_id as awaiting_sync,
       w.changed_at, w.synced_at, s.id as sync_id, s.outcome, s.finished_at, s.http_status, s.error
from notify_internal.workflow_novu_sync w
left join lateral (
  select s1.id, s1.outcome, s1.finished_at, s1.http_status, s1.error
    from notify_internal.novu_sync s1
   where s1.covered ? w.workflow_id::text and s1.outcome <> 'running'
   order by s1.id desc
   limit 1
) s on true;
comment on view notify_internal.workflow_latest_novu_sync is 'Per workflow Novu must know of: whether it awaits a sync, and the latest finished sync that covered it (outcome, when, HTTP status, error). The retention purge of notify_internal.novu_sync keeps these rows.';
revoke all on notify_internal.workflow_latest_novu_sync from public;
grant select on notify_internal.workflow_latest_novu_sync to service_role;

create or replace function notify_internal.purge_expired_batch(p_batch_size integer default 1000)
returns table (target text, deleted bigint)
language plpgsql
-- Definer: the status history, the queue archives, the delivery events and the
-- Novu sync log are written only by definer code or the functions' login;
-- nobody, service_role included, may delete from them directly.
security definer
set search_path = ''
as $$
declare
  v_history_cutoff timestamptz := now() - make_interval(days => notify_internal.setting_integer('retention_status_history_days', 90));
  v_archive_cutoff timestamptz := now() - make_interval(days => notify_internal.setting_integer('retention_queue_archive_days', 7));
  v_response_cutoff timestamptz := now() - make_interval(days => notify_internal.setting_integer('retention_http_response_days', 2));
  v_delivery_cutoff timestamptz := now() - make_interval(days => greatest(1, notify_internal.setting_integer('retention_delivery_event_days', 90)));
  v_novu_sync_cutoff timestamptz := now() - make_interval(days => notify_internal.setting_integer('retention_novu_sync_days', 30));
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

  -- The Novu sync log: finished syncs past retention, except each workflow's
  -- latest outcome (workflow_latest_novu_sync) and the very last sync (its
  -- retry_at and the failures in a row since the last success set the backoff).
  delete from notify_internal.novu_sync s
   where s.id in (
     select s2.id from notify_internal.novu_sync s2
      where s2.outcome <> 'running'
        and s2.finished_at < v_novu_sync_cutoff
        and s2.id < (select max(s3.id) from notify_internal.novu_sync s3)
        and s2.id not in (select l.sync_id from notify_internal.workflow_latest_novu_sync l
                           where l.sync_id is not null)
      order by s2.id
      limit p_batch_size);
  get diagnostics v_count = row_count;
  target := 'notify_internal.novu_sync'; deleted := v_count; return next;

  if to_regclass('net._http_response') is not null then
    execute 'delete from net._http_response where id in (select id from net._http_response where created < $1 order by id limit $2)'
      using v_response_cutoff, p_batch_size;
    get diagnostics v_count = row_count;
    target := 'net._http_response'; deleted := v_count; return next;
  end if;
end
$$;
comment on function notify_internal.purge_expired_batch(integer) is 'Deletes at most p_batch_size rows past retention from each of: the status history of settled notifications, every pgmq queue''s archive, Novu''s delivery events, the Novu sync log (keeping each workflow''s latest outcome and the last sync), net._http_response; returns how many per target. notify_internal.purge_expired() repeats it, committing between batches.';
