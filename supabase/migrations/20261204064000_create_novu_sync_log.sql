-- Novu Cloud runs only the workflows of its last sync (issue 10): XNovu keeps,
-- per workflow, the latest change Novu must learn and the latest change a
-- successful sync covered, and one row per sync it made with its outcome. The
-- novu-sync edge function claims a sync (debounced: a burst of edits becomes
-- one sync), calls Novu (POST /v1/bridge/sync, docs/internals.md "Novu sync")
-- and records the outcome; a failed sync is retried after a backoff.

create sequence notify_internal.workflow_novu_change_seq;
comment on sequence notify_internal.workflow_novu_change_seq is 'Orders the changes of workflows that Novu must learn through a sync.';

create table notify_internal.workflow_novu_sync (
  workflow_id bigint primary key,
  workflow_key text not null,
  change_id bigint not null,
  changed_at timestamptz not null default now(),
  synced_change_id bigint,
  synced_at timestamptz,
  constraint workflow_novu_sync_synced_change_is_not_after_the_latest_change
    check (synced_change_id is null or synced_change_id <= change_id),
  constraint workflow_novu_sync_synced_at_is_set_with_the_synced_change
    check ((synced_change_id is null) = (synced_at is null))
);
comment on table notify_internal.workflow_novu_sync is 'Per workflow (kept after the workflow row is deleted, which Novu must learn too): change_id is its latest change Novu must learn (from workflow_novu_change_seq), synced_change_id the latest one a successful sync covered. A workflow whose synced_change_id is behind its change_id awaits a sync; its notifications wait.';

create view notify_internal.workflow_awaiting_novu_sync
with (security_invoker = true)
as
select workflow_id, workflow_key, change_id, changed_at, synced_change_id, synced_at
from notify_internal.workflow_novu_sync
where synced_change_id is distinct from change_id;
comment on view notify_internal.workflow_awaiting_novu_sync is 'The one rule for "Novu has not learnt this workflow''s latest change yet": the sync claims these, the dispatcher holds their notifications, the sweep and ./dev up wait on them.';

create table notify_internal.novu_sync (
  id bigint generated always as identity primary key,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  outcome text not null default 'running',
  covered jsonb not null,
  http_status integer,
  synced_workflows text[],
  error text,
  retry_at timestamptz,
  constraint novu_sync_outcome_is_running_succeeded_or_failed
    check (outcome in ('running', 'succeeded', 'failed')),
  constraint novu_sync_is_finished_unless_running
    check ((outcome = 'running') = (finished_at is null)),
  constraint novu_sync_covered_maps_workflow_ids_to_change_ids
    check (jsonb_typeof(covered) = 'object'),
  constraint novu_sync_only_a_failed_sync_has_a_retry_time
    check (retry_at is null or outcome = 'failed')
);
comment on table notify_internal.novu_sync is 'One row per sync XNovu asked Novu Cloud for (POST /v1/bridge/sync): outcome running, succeeded or failed; covered = {workflow id: change id} of the changes it was started for; http_status and synced_workflows (the workflow ids Novu answered) or error say how it went; a failed sync is retried from retry_at on (exponential backoff). Read it to see whether Novu runs the latest workflows.';
-- At most one sync at a time: the claim inserts the running row or finds one.
create unique index novu_sync_one_running on notify_internal.novu_sync ((true))
  where outcome = 'running';

revoke all on notify_internal.workflow_novu_sync, notify_internal.novu_sync,
  notify_internal.workflow_awaiting_novu_sync from public;
grant select on notify_internal.workflow_novu_sync, notify_internal.novu_sync,
  notify_internal.workflow_awaiting_novu_sync to service_role;

create function notify_internal.claim_novu_sync(
  p_debounce_ms integer,
  p_max_wait_ms integer,
  p_lease_s integer
) returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_covered jsonb;
  v_latest_change timestamptz;
  v_oldest_change timestamptz;
  v_retry_at timestamptz;
  v_sync_id bigint;
begin
  -- A sync whose function died never records an outcome: past its lease it is failed.
  update notify_internal.novu_sync
     set outcome = 'failed', finished_at = now(), retry_at = now(),
         error = format('no outcome recorded within %s s (the sync function stopped)', p_lease_s)
   where outcome = 'running' and started_at < now() - make_interval(secs => p_lease_s);
  if exists (select from notify_internal.novu_sync where outcome = 'running') then
    return jsonb_build_object('state', 'busy');
  end if;
  select jsonb_object_agg(workflow_id::text, change_id), max(changed_at), min(changed_at)
    into v_covered, v_latest_change, v_oldest_change
    from notify_internal.workflow_awaiting_novu_sync;
  if v_covered is null then
    return jsonb_build_object('state', 'idle');
  end if;
  -- Debounce: wait until edits pause, but never longer than p_max_wait_ms.
  if v_latest_change > now() - make_interval(secs => p_debounce_ms / 1000.0)
     and v_oldest_change > now() - make_interval(secs => p_max_wait_ms / 1000.0) then
    return jsonb_build_object('state', 'debouncing', 'wait_ms', ceil(1000 * extract(epoch from
      least(v_latest_change + make_interval(secs => p_debounce_ms / 1000.0),
            v_oldest_change + make_interval(secs => p_max_wait_ms / 1000.0)) - now())));
  end if;
  select s.retry_at into v_retry_at
    from notify_internal.novu_sync s order by s.id desc limit 1;
  if v_retry_at > now() then
    return jsonb_build_object('state', 'backing_off',
      'wait_ms', ceil(1000 * extract(epoch from v_retry_at - now())));
  end if;
  insert into notify_internal.novu_sync (covered) values (v_covered)
  on conflict do nothing
  returning id into v_sync_id;
  if v_sync_id is null then
    return jsonb_build_object('state', 'busy');
  end if;
  return jsonb_build_object('state', 'claimed', 'sync_id', v_sync_id);
end
$$;
comment on function notify_internal.claim_novu_sync(integer, integer, integer) is 'Starts a sync when workflows await one: idle (nothing to sync), busy (another sync runs), debouncing (a workflow changed less than p_debounce_ms ago and the oldest waiting change is younger than p_max_wait_ms; wait_ms says how long), backing_off (the last sync failed; wait_ms until its retry_at), or claimed (sync_id of the new running row, covering every awaiting change). A running sync older than p_lease_s is recorded failed first.';
revoke execute on function notify_internal.claim_novu_sync(integer, integer, integer) from public;
grant execute on function notify_internal.claim_novu_sync(integer, integer, integer) to service_role;

create function notify_internal.finish_novu_sync(
  p_sync_id bigint,
  p_succeeded boolean,
  p_http_status integer,
  p_synced_workflows text[],
  p_error text
) returns boolean
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_covered jsonb;
  v_failures integer;
begin
  update notify_internal.novu_sync
     set outcome = case when p_succeeded then 'succeeded' else 'failed' end,
         finished_at = now(), http_status = p_http_status,
         synced_workflows = p_synced_workflows, error = p_error
   where id = p_sync_id and outcome = 'running'
  returning covered into v_covered;
  if not found then
    return false;
  end if;
  if p_succeeded then
    update notify_internal.workflow_novu_sync w
       set synced_change_id = c.change_id, synced_at = now()
      from (select key::bigint as workflow_id, value::bigint as change_id
              from jsonb_each_text(v_covered)) c
     where w.workflow_id = c.workflow_id
       and (w.synced_change_id is null or w.synced_change_id < c.change_id);
  else
    -- Backoff: 2 s after the first failure in a row, doubling up to 5 minutes.
    select count(*) into v_failures
      from notify_internal.novu_sync
     where outcome = 'failed'
       and id > coalesce((select max(id) from notify_internal.novu_sync
                           where outcome = 'succeeded'), 0);
    update notify_internal.novu_sync
       set retry_at = now() + make_interval(secs => least(300, 2 * power(2, least(v_failures, 20) - 1)))
     where id = p_sync_id;
  end if;
  return true;
end
$$;
comment on function notify_internal.finish_novu_sync(bigint, boolean, integer, text[], text) is 'Records a running sync''s outcome. Succeeded: every change it covered counts as synced (a workflow changed again since stays awaiting). Failed: retry_at = now + 2 s doubling per failure in a row, at most 5 minutes. False when the sync was no longer running (its lease had expired).';
revoke execute on function notify_internal.finish_novu_sync(bigint, boolean, integer, text[], text) from public;
grant execute on function notify_internal.finish_novu_sync(bigint, boolean, integer, text[], text) to service_role;

create function notify_internal.workflows_awaiting_novu_sync(p_workflow_ids bigint[])
returns setof bigint
language sql
stable
security invoker
set search_path = ''
as $$
  select workflow_id from notify_internal.workflow_awaiting_novu_sync
   where workflow_id = any (p_workflow_ids)
$$;
comment on function notify_internal.workflows_awaiting_novu_sync(bigint[]) is 'Of the given workflows, those whose latest change Novu has not been synced yet: the dispatcher holds their notifications (PENDING, no attempt spent) until a sync covers it.';
revoke execute on function notify_internal.workflows_awaiting_novu_sync(bigint[]) from public;
grant execute on function notify_internal.workflows_awaiting_novu_sync(bigint[]) to service_role;
