-- notify.emit_event called two SQL functions with a search_path setting on
-- every event: caller_bypasses_rls (once) and rule_events_drain_leased (twice,
-- through rule_events_drain_will_read). PostgreSQL never inlines such a
-- function and keeps its plan only for the query that calls it, so each
-- statement parsed and planned its query again: one statement calling
-- caller_bypasses_rls from plpgsql, round trip included, took 0.176 ms, and
-- 0.067 ms with the plpgsql version below (3,000 statements each, idle
-- platform). As plpgsql their plans are kept for the session (as
-- 20261204093110 did for planned_novu_transaction_ids). Same bodies, same
-- answers.

create or replace function notify_internal.caller_bypasses_rls() returns boolean
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  -- Inside a definer function current_user is the owner; the role setting
  -- still names the role the caller switched to (PostgREST: authenticated or
  -- service_role), 'none' for a direct login such as the edge functions'.
  return coalesce((
    select r.rolbypassrls or r.rolsuper
    from pg_catalog.pg_roles r
    where r.rolname = case current_setting('role') when 'none' then session_user::text else current_setting('role') end
  ), false);
end
$$;

create or replace function notify_internal.rule_events_drain_leased() returns boolean
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  return (
    select s.last_value > (extract(epoch from pg_catalog.clock_timestamp()) * 1000)::bigint
    from notify_internal.rule_events_drain_lease s
  );
end
$$;
