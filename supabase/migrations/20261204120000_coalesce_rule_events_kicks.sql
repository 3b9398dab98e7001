-- emit_event kicks rule-events only when no drain is known to read after its
-- commit. Before, every event sent one pg_net POST (at 1,000 events/s: 1,000
-- HTTP requests/s through pg_net, the functions gateway and the rule-events
-- worker, each a billed invocation on hosted) although a running drain would
-- have read the event anyway. The handshake (docs/internals.md, "Event kicks"):
--
-- * Lease. A drain publishes "I read the queue until at least T" in the
--   sequence rule_events_drain_lease (epoch ms of the database clock), renewed
--   with each read, and keeps reading for a linger after the queue looks empty.
--   A sequence, not a row: setval is immediate and outside every transaction,
--   and reading it ignores the reader's snapshot, so a caller in a REPEATABLE
--   READ transaction whose snapshot predates a stop still sees the stop.
-- * Producer (rule_events_drain_will_read). Lease valid -> try to take the
--   advisory lock rule_events_producer_lock() in share mode for the rest of its
--   transaction -> lease still valid -> skip the kick. Anything else: kick.
--   It never waits (a try-lock), so emit_event never blocks or fails on this.
-- * Stop (stop_rule_events_drain). The drain sets the lease to 0 (from now on
--   every producer kicks), then tries the same lock in exclusive mode, which
--   succeeds only when no transaction that skipped its kick is still open;
--   only then does it read the queue a last time and end. It never queues
--   for the lock (try, release at once, poll), so producers never wait on it.
--
-- Why no event is stranded: a producer P that skipped read a valid lease at
-- r after taking the share lock at b < r. The drain D that last renewed before
-- r stops after r (its stop's setval(0) is a later write, and P read the newest
-- value). So D's exclusive try happens after b: it fails while P is open, and
-- D's last read starts after P committed and sees P's message. A drain that
-- ends without a successful stop (deadline, CPU budget, failed round) hands
-- over to a fresh drain of its own (shared/rules/events.ts), which stops the
-- same way. What remains: a worker killed mid-drain (its lease lapses within
-- lease_ms; events skipped meanwhile are read by the next drain, kicked by
-- any later event or the pg_cron tick, at most a minute) and a caller
-- transaction left open longer than the drain waits for it (the same: the
-- next kick or the tick). A long caller transaction is slower, never lost.

create sequence notify_internal.rule_events_drain_lease as bigint minvalue 0 start with 0;
comment on sequence notify_internal.rule_events_drain_lease is 'Epoch ms (database clock) until which a rule-events drain promises to read the rule_events queue again; 0 once it stopped. Written with setval by renew/stop_rule_events_drain, read by rule_events_drain_will_read (snapshot-independent).';
revoke all on sequence notify_internal.rule_events_drain_lease from public, anon, authenticated, service_role;

create function notify_internal.rule_events_producer_lock() returns bigint
language sql
immutable
security invoker
set search_path = ''
as $$
  select pg_catalog.hashtextextended('xnovu-rule-events-producer', 0)
$$;
comment on function notify_internal.rule_events_producer_lock() is 'The advisory lock key an emit_event that skipped its kick holds in share mode until its transaction ends; a stopping drain waits until it can take it exclusively.';
revoke execute on function notify_internal.rule_events_producer_lock() from public;
grant execute on function notify_internal.rule_events_producer_lock() to service_role;

create function notify_internal.rule_events_drain_leased() returns boolean
language sql
volatile
security invoker
set search_path = ''
as $$
  select s.last_value > (extract(epoch from pg_catalog.clock_timestamp()) * 1000)::bigint
  from notify_internal.rule_events_drain_lease s
$$;
comment on function notify_internal.rule_events_drain_leased() is 'Whether a rule-events drain''s lease is valid now (clock_timestamp, not the transaction''s start).';
revoke execute on function notify_internal.rule_events_drain_leased() from public;
grant execute on function notify_internal.rule_events_drain_leased() to service_role;

create function notify_internal.rule_events_drain_will_read() returns boolean
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  -- Checked first so that, once a drain stopped, producers take no lock at all
  -- and the stopping drain's exclusive try is not starved by a steady stream.
  if not notify_internal.rule_events_drain_leased() then
    return false;
  end if;
  -- Held until this transaction ends: the stopping drain cannot finish before.
  if not pg_catalog.pg_try_advisory_xact_lock_shared(notify_internal.rule_events_producer_lock()) then
    return false;
  end if;
  -- Checked again after the lock: a stop between the first check and the lock
  -- may have tried the lock already; seeing its setval(0) here means kick.
  return notify_internal.rule_events_drain_leased();
end
$$;
comment on function notify_internal.rule_events_drain_will_read() is 'For a producer that queued a rule_events message in this transaction: true when a drain holds a lease and this transaction registered (share lock until it ends), so that drain reads again after the commit and the kick may be skipped; false means kick. Never waits.';
revoke execute on function notify_internal.rule_events_drain_will_read() from public;
grant execute on function notify_internal.rule_events_drain_will_read() to service_role;

create function notify_internal.renew_rule_events_drain(p_lease_ms integer) returns void
language sql
volatile
security invoker
set search_path = ''
as $$
  select pg_catalog.setval('notify_internal.rule_events_drain_lease',
    greatest((extract(epoch from pg_catalog.clock_timestamp()) * 1000)::bigint + p_lease_ms, 0));
$$;
comment on function notify_internal.renew_rule_events_drain(integer) is 'A rule-events drain promises to read the queue again (and to stop only through stop_rule_events_drain) for the next p_lease_ms; called with each read.';
revoke execute on function notify_internal.renew_rule_events_drain(integer) from public;
grant execute on function notify_internal.renew_rule_events_drain(integer) to service_role;

create function notify_internal.stop_rule_events_drain() returns boolean
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  perform pg_catalog.setval('notify_internal.rule_events_drain_lease', 0);
  -- Session-level try and immediate release: never queued behind the
  -- producers' share locks (so none of them waits behind it), and nothing stays
  -- held whatever transaction the caller is in.
  if pg_catalog.pg_try_advisory_lock(notify_internal.rule_events_producer_lock()) then
    perform pg_catalog.pg_advisory_unlock(notify_internal.rule_events_producer_lock());
    return true;
  end if;
  return false;
end
$$;
comment on function notify_internal.stop_rule_events_drain() is 'A drain''s stop: ends its lease (every producer kicks from now on) and answers whether no transaction that skipped its kick is still open. True: a read started after this call sees every skipped event. False: call again (poll) before the last read.';
revoke execute on function notify_internal.stop_rule_events_drain() from public;
grant execute on function notify_internal.stop_rule_events_drain() to service_role;

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
  if not notify_internal.caller_bypasses_rls()
      and not emit_event.enterprise_id = any ((select notify_internal.caller_enterprise_ids())::uuid[]) then
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
  -- (see 20261204120000_coalesce_rule_events_kicks.sql), else kick one.
  if not notify_internal.rule_events_drain_will_read() then
    perform notify_internal.kick_function('rule-events', '{"reason": "event"}');
  end if;
  return v_event_id;
end
$$;
comment on function notify.emit_event(uuid, text, jsonb, text) is 'Records an event of one of the caller''s enterprises (any for service_role) and queues it for the EVENT rules in the same transaction; returns its id. Kicks rule-events unless a running drain will read after the commit (notify_internal.rule_events_drain_will_read). A dedup_key seen for the enterprise within event_dedup_window_s (default 86400) returns the first event''s id and records nothing. Another enterprise''s id: "enterprise <id> not found".';

create function notify_internal.read_rule_events(p_qty integer, p_vt integer, p_lease_ms integer)
returns table (msg_id bigint, event_id text)
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  -- Renewed before reading, in the same round trip: the read is the promise kept.
  if p_lease_ms > 0 then
    perform notify_internal.renew_rule_events_drain(p_lease_ms);
  end if;
  return query
    select m.msg_id, m.message ->> 'event_id'
    from pgmq.read(queue_name => 'rule_events', vt => p_vt, qty => p_qty) m;
end
$$;
comment on function notify_internal.read_rule_events(integer, integer, integer) is 'A rule-events drain''s read: up to p_qty messages of queue rule_events hidden for p_vt seconds, renewing the drain''s lease for p_lease_ms first (0: the read after a stop, which promises nothing).';
revoke execute on function notify_internal.read_rule_events(integer, integer, integer) from public;
grant execute on function notify_internal.read_rule_events(integer, integer, integer) to service_role;
