-- notify.emit_event: the one way an event enters the rules engine (the events
-- edge function calls it as the caller). It records the event and queues it in
-- the same transaction, so an event is either recorded and queued or neither.

create function notify_internal.caller_bypasses_rls() returns boolean
language sql
stable
security invoker
set search_path = ''
as $$
  -- Inside a definer function current_user is the owner; the role setting
  -- still names the role the caller switched to (PostgREST: authenticated or
  -- service_role), 'none' for a direct login such as the edge functions'.
  select coalesce((
    select r.rolbypassrls or r.rolsuper
    from pg_catalog.pg_roles r
    where r.rolname = case current_setting('role') when 'none' then session_user::text else current_setting('role') end
  ), false)
$$;
comment on function notify_internal.caller_bypasses_rls() is 'Whether the calling role (not a definer function''s owner) bypasses RLS: service_role and direct superuser logins do, authenticated does not.';
revoke execute on function notify_internal.caller_bypasses_rls() from public;
grant execute on function notify_internal.caller_bypasses_rls() to authenticated, service_role;

create function notify.emit_event(
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
  v_window interval := make_interval(secs => coalesce(notify_internal.setting('event_dedup_window_s'), '86400')::int);
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
      and e.emitted_at > now() - v_window
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
  perform notify_internal.kick_function('rule-events', '{"reason": "event"}');
  return v_event_id;
end
$$;
comment on function notify.emit_event(uuid, text, jsonb, text) is 'Records an event of one of the caller''s enterprises (any for service_role) and queues it for the EVENT rules in the same transaction; returns its id. A dedup_key seen for the enterprise within event_dedup_window_s (default 86400) returns the first event''s id and records nothing. Another enterprise''s id: "enterprise <id> not found".';
revoke execute on function notify.emit_event(uuid, text, jsonb, text) from public;
grant execute on function notify.emit_event(uuid, text, jsonb, text) to authenticated, service_role;
