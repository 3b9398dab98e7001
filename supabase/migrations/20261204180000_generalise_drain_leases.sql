-- The drain lease of 20261204120000_coalesce_rule_events_kicks.sql, made one
-- mechanism for every function a producer kicks through pg_net: rule-events
-- (emit_event) now, the dispatchers next (20261204180100). Same handshake,
-- keyed by the function's name; rule-events moves onto it and its own
-- functions go. docs/internals.md, "Coalesced kicks":
--
-- * Lease. A drain of function F publishes "I read my queues until at least
--   T" in the sequence notify_internal.<F>_drain_lease (epoch ms of the
--   database clock, '-' spelt '_'), renewed while it reads, and keeps reading
--   for a linger after its queues look empty. A sequence, not a row: setval is
--   immediate and outside every transaction, and reading it ignores the
--   reader's snapshot, so a caller in a REPEATABLE READ transaction whose
--   snapshot predates a stop still sees the stop.
-- * Producer (drain_will_read). Lease valid -> try to take F's producer
--   advisory lock in share mode for the rest of its transaction -> lease
--   still valid -> skip the kick. Anything else: kick. It never waits (a
--   try-lock), so a producer never blocks or fails on this.
-- * Stop (stop_drain). The drain sets its lease to 0 (from now on every
--   producer kicks), then tries the same lock in exclusive mode, which
--   succeeds only when no transaction that skipped its kick is still open;
--   only then does it read its queues a last time and end. It never queues
--   for the lock (try, release at once, poll), so producers never wait on it.
--
-- Why no message is stranded: a producer P that skipped read a valid lease at
-- r after taking the share lock at b < r. The drain D that last renewed before
-- r stops after r (its stop's setval(0) is a later write, and P read the newest
-- value). So D's exclusive try happens after b: it fails while P is open, and
-- D's last read starts after P committed and sees P's message. A drain that
-- ends without a successful stop (deadline, CPU budget, failed round) hands
-- over to a fresh drain of its own, which stops the same way. What remains: a
-- worker killed mid-drain (its lease lapses within the lease's length;
-- messages skipped meanwhile are read by the next drain, kicked by any later
-- producer or the pg_cron sweep) and a caller transaction left open longer
-- than the drain waits for it (the same). A long caller transaction is
-- slower, never lost.

create function notify_internal.drain_lease_sequence(p_function text) returns regclass
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  -- plpgsql, like the callers below: its plan is kept for the session.
  return pg_catalog.format('notify_internal.%I', pg_catalog.replace(p_function, '-', '_') || '_drain_lease')::regclass;
end
$$;
comment on function notify_internal.drain_lease_sequence(text) is 'The sequence holding edge function p_function''s drain lease: notify_internal.<name with - as _>_drain_lease; an error names it when the function has none.';
revoke execute on function notify_internal.drain_lease_sequence(text) from public;
grant execute on function notify_internal.drain_lease_sequence(text) to service_role;

create function notify_internal.drain_producer_lock(p_function text) returns bigint
language sql
immutable
security invoker
set search_path = ''
as $$
  select pg_catalog.hashtextextended('xnovu-drain-producer:' || p_function, 0)
$$;
comment on function notify_internal.drain_producer_lock(text) is 'The advisory lock key a producer that skipped its kick of p_function holds in share mode until its transaction ends; a stopping drain of p_function waits until it can take it exclusively.';
revoke execute on function notify_internal.drain_producer_lock(text) from public;
grant execute on function notify_internal.drain_producer_lock(text) to service_role;

create function notify_internal.drain_leased(p_lease regclass) returns boolean
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  -- clock_timestamp, not the transaction's start: a long transaction must not
  -- see a lapsed lease as valid. Never set (is_called false): no lease.
  return coalesce(pg_catalog.pg_sequence_last_value(p_lease), 0)
    > (extract(epoch from pg_catalog.clock_timestamp()) * 1000)::bigint;
end
$$;
comment on function notify_internal.drain_leased(regclass) is 'Whether the drain lease held in sequence p_lease is valid now.';
revoke execute on function notify_internal.drain_leased(regclass) from public;
grant execute on function notify_internal.drain_leased(regclass) to service_role;

create function notify_internal.drain_will_read(p_function text) returns boolean
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_lease regclass := notify_internal.drain_lease_sequence(p_function);
begin
  -- Checked first so that, once a drain stopped, producers take no lock at all
  -- and the stopping drain's exclusive try is not starved by a steady stream.
  if not notify_internal.drain_leased(v_lease) then
    return false;
  end if;
  -- Held until this transaction ends: the stopping drain cannot finish before.
  if not pg_catalog.pg_try_advisory_xact_lock_shared(notify_internal.drain_producer_lock(p_function)) then
    return false;
  end if;
  -- Checked again after the lock: a stop between the first check and the lock
  -- may have tried the lock already; seeing its setval(0) here means kick.
  return notify_internal.drain_leased(v_lease);
end
$$;
comment on function notify_internal.drain_will_read(text) is 'For a producer that queued work for edge function p_function in this transaction: true when a drain of p_function holds a lease and this transaction registered (share lock until it ends), so that drain reads again after the commit and the kick may be skipped; false means kick. Never waits.';
revoke execute on function notify_internal.drain_will_read(text) from public;
grant execute on function notify_internal.drain_will_read(text) to service_role;

create function notify_internal.renew_drain(p_function text, p_lease_ms integer) returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  perform pg_catalog.setval(notify_internal.drain_lease_sequence(p_function),
    greatest((extract(epoch from pg_catalog.clock_timestamp()) * 1000)::bigint + p_lease_ms, 0));
end
$$;
comment on function notify_internal.renew_drain(text, integer) is 'A drain of edge function p_function promises to read its queues again (and to stop only through stop_drain) for the next p_lease_ms.';
revoke execute on function notify_internal.renew_drain(text, integer) from public;
grant execute on function notify_internal.renew_drain(text, integer) to service_role;

create function notify_internal.stop_drain(p_function text) returns boolean
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  perform pg_catalog.setval(notify_internal.drain_lease_sequence(p_function), 0);
  -- Session-level try and immediate release: never queued behind the
  -- producers' share locks (so none of them waits behind it), and nothing stays
  -- held whatever transaction the caller is in.
  if pg_catalog.pg_try_advisory_lock(notify_internal.drain_producer_lock(p_function)) then
    perform pg_catalog.pg_advisory_unlock(notify_internal.drain_producer_lock(p_function));
    return true;
  end if;
  return false;
end
$$;
comment on function notify_internal.stop_drain(text) is 'A drain''s stop: ends edge function p_function''s lease (every producer kicks from now on) and answers whether no transaction that skipped its kick is still open. True: a read started after this call sees every skipped message. False: call again (poll) before the last read.';
revoke execute on function notify_internal.stop_drain(text) from public;
grant execute on function notify_internal.stop_drain(text) to service_role;

create or replace function notify.emit_event(
  enterprise_id uuid,
  event_name text,
  payload jsonb default '{}',
  dedup_key text default null
) returns bigint
language plpgsql
-- Definer: members may not insert events directly (the row and its queue
-- message must be written together) nor write to pgmq; the enterprise check
-- RLS would make is made explicitly below.
security definer
set search_path = ''
as $$
declare
  v_event_id bigint;
begin
  -- Plain calls: a sub-select would make this condition a query of its own
  -- for plpgsql, started and ended by the executor on every call.
  if not notify_internal.caller_bypasses_rls()
      and not emit_event.enterprise_id = any (notify_internal.caller_enterprise_ids()) then
    raise exception 'enterprise % not found', emit_event.enterprise_id using errcode = 'no_data_found';
  end if;
  if emit_event.event_name is null or not notify_internal.is_event_name(emit_event.event_name) then
    raise exception 'event_name: % is not an event name of 1 to 200 letters, digits, _ . : - such as door.forced_open',
      coalesce(quote_literal(emit_event.event_name), 'null') using errcode = 'check_violation';
  end if;
  if jsonb_typeof(coalesce(emit_event.payload, '{}')) <> 'object' then
    raise exception 'payload: must be a JSON object, not %', jsonb_typeof(emit_event.payload)
      using errcode = 'check_violation';
  end if;

  if emit_event.dedup_key is not null then
    -- Serialises emits of the same key, so two concurrent duplicates record one event.
    perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
      'xnovu-event:' || emit_event.enterprise_id || ':' || emit_event.dedup_key, 0));
    select e.id into v_event_id
    from notify.rule_event e
    where e.enterprise_id = emit_event.enterprise_id
      and e.dedup_key = emit_event.dedup_key
      and e.emitted_at > now() - make_interval(secs => coalesce(notify_internal.setting('event_dedup_window_s'), '86400')::int)
    order by e.id desc
    limit 1;
    if v_event_id is not null then
      return v_event_id;
    end if;
  end if;

  insert into notify.rule_event (enterprise_id, event_name, payload, dedup_key)
  values (emit_event.enterprise_id, emit_event.event_name, coalesce(emit_event.payload, '{}'), emit_event.dedup_key)
  returning id into v_event_id;
  perform pgmq.send(queue_name => 'rule_events', msg => jsonb_build_object('event_id', v_event_id));
  -- After the message is queued: a running drain reads again after this commit
  -- (see 20261204180000_generalise_drain_leases.sql), else kick one.
  if not notify_internal.drain_will_read('rule-events') then
    perform notify_internal.kick_function('rule-events', '{"reason": "event"}');
  end if;
  return v_event_id;
end
$$;
comment on function notify.emit_event(uuid, text, jsonb, text) is 'Records an event of one of the caller''s enterprises (any for service_role) and queues it for the EVENT rules in the same transaction; returns its id. Kicks rule-events unless a running drain will read after the commit (notify_internal.drain_will_read). A dedup_key seen for the enterprise within event_dedup_window_s (default 86400) returns the first event''s id and records nothing. Another enterprise''s id: "enterprise <id> not found".';

create or replace function notify_internal.read_rule_events(p_qty integer, p_vt integer, p_lease_ms integer)
returns table (msg_id bigint, event_id text)
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  -- Renewed before reading, in the same round trip: the read is the promise kept.
  if p_lease_ms > 0 then
    perform notify_internal.renew_drain('rule-events', p_lease_ms);
  end if;
  return query
    select m.msg_id, m.message ->> 'event_id'
    from pgmq.read(queue_name => 'rule_events', vt => p_vt, qty => p_qty) m;
end
$$;

drop function notify_internal.stop_rule_events_drain();
drop function notify_internal.renew_rule_events_drain(integer);
drop function notify_internal.rule_events_drain_will_read();
drop function notify_internal.rule_events_drain_leased();
drop function notify_internal.rule_events_producer_lock();
