-- Enqueues kick the dispatchers only when no drain of theirs will read after
-- the commit (the drain lease, 20261204180000_generalise_drain_leases.sql).
-- Before, every statement that enqueued kicked both dispatcher and
-- dispatcher-express through pg_net: at 100 single-row inserts/s, 200 HTTP
-- requests/s through pg_net, the functions gateway and the two workers, each
-- a billed invocation on hosted, although a running drain would have read the
-- rows anyway. Measured then (`./dev bench latency 100 30`): the machine
-- saturated, insert -> Novu p50 134-168 ms, p99 864-1,022 ms.
--
-- Each dispatcher function has a lease of its own: the dispatcher serves
-- everything, so no notification depends on dispatcher-express's lease; the
-- express lease only spares the express kicks.
--
-- The lease covers the dispatch queues (intake and lanes), which the
-- dispatcher's dispatch drain reads; not the cancellation queue. So the kicks
-- that are about cancellations (a retraction) or that exist to recover lost
-- ones (the pg_cron sweep) go out regardless: kick_dispatcher_unconditionally.

create sequence notify_internal.dispatcher_drain_lease as bigint minvalue 0 start with 0;
comment on sequence notify_internal.dispatcher_drain_lease is 'Epoch ms (database clock) until which a drain of the dispatcher function promises to read the dispatch queues again; 0 once it stopped (notify_internal.renew_drain / stop_drain).';
revoke all on sequence notify_internal.dispatcher_drain_lease from public, anon, authenticated, service_role;

create sequence notify_internal.dispatcher_express_drain_lease as bigint minvalue 0 start with 0;
comment on sequence notify_internal.dispatcher_express_drain_lease is 'Epoch ms (database clock) until which a drain of the dispatcher-express function promises to read the dispatch lanes again; 0 once it stopped (notify_internal.renew_drain / stop_drain).';
revoke all on sequence notify_internal.dispatcher_express_drain_lease from public, anon, authenticated, service_role;

create function notify_internal.kick_dispatcher_unconditionally() returns void
language sql
-- Definer, as kick_dispatcher: callers (triggers, pg_cron) need no grant on
-- kick_function or the settings it reads.
security definer
set search_path = ''
as $$
  select notify_internal.kick_function('dispatcher', '{"reason": "enqueue"}');
  select notify_internal.kick_function('dispatcher-express', '{"reason": "enqueue"}');
$$;
comment on function notify_internal.kick_dispatcher_unconditionally() is 'Asks the dispatcher and dispatcher-express edge functions (through pg_net, after commit) to process every queue now, whatever drain is running: for the cancellation queue, which no drain lease covers, and for the sweep, which recovers lost kicks. Does nothing when functions_url is unset or pg_net is absent.';
revoke execute on function notify_internal.kick_dispatcher_unconditionally() from public;
grant execute on function notify_internal.kick_dispatcher_unconditionally() to service_role;

create or replace function notify_internal.kick_dispatcher() returns void
language plpgsql
-- Definer, as before: callers (the enqueue triggers) need no grant on
-- kick_function, the settings it reads or the drain leases.
security definer
set search_path = ''
as $$
begin
  -- After the work is queued (the callers queue first): a running drain that
  -- will read after this commit makes the kick unnecessary.
  if not notify_internal.drain_will_read('dispatcher') then
    perform notify_internal.kick_function('dispatcher', '{"reason": "enqueue"}');
  end if;
  if not notify_internal.drain_will_read('dispatcher-express') then
    perform notify_internal.kick_function('dispatcher-express', '{"reason": "enqueue"}');
  end if;
end
$$;
comment on function notify_internal.kick_dispatcher() is 'For a transaction that queued dispatch work: asks the dispatcher and dispatcher-express edge functions (through pg_net, after commit) to process the dispatch queues now, each unless a drain of its own will read after the commit (notify_internal.drain_will_read). Does nothing when functions_url is unset or pg_net is absent, leaving the pg_cron sweep to pick the work up.';

create or replace function notify_internal.kick_dispatcher_after_retraction() returns trigger
language plpgsql
-- Definer: kick_dispatcher_unconditionally is executable by service_role only,
-- while the retraction may come from an authenticated caller through the
-- cancel RPC.
security definer
set search_path = ''
-- Joins the statement's transition tables (20261204160100).
set enable_nestloop = off
as $$
begin
  if exists (
    select from new_rows n
    join old_rows o on o.id = n.id
    where n.notification_status = 'RETRACTED'
      and o.notification_status in ('PROCESSING', 'SENT', 'FAILED')
  ) then
    -- The cancellation queue is read by a kicked drain, not under a lease.
    perform notify_internal.kick_dispatcher_unconditionally();
  end if;
  return null;
end
$$;

do $$
declare
  v_version text := (select e.extversion from pg_catalog.pg_extension e where e.extname = 'pg_cron');
begin
  if v_version is null then
    raise notice 'pg_cron is not installed: the dispatch sweep is not scheduled';
    return;
  end if;
  -- cron.schedule with an existing job name updates that job.
  perform cron.schedule(
    'xnovu-dispatch-sweep',
    notify_internal.dispatch_sweep_schedule(v_version),
    'select notify_internal.kick_dispatcher_unconditionally()'
  );
end
$$;
