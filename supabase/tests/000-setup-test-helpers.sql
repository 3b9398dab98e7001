-- Creates schema tests (actors and fixtures) for the pgTAP suite. Run first by
-- local/run-pgtap.sh and again by pg_prove (it is idempotent and reports one
-- passing test). Never part of the migrations: production has no tests schema.
begin;
select plan(1);

drop schema if exists tests cascade;
create schema tests;
comment on schema tests is 'pgTAP helpers: actors and fixtures; created by the test run only.';
grant usage on schema tests to anon, authenticated, service_role;

create function tests.enterprise_a() returns uuid language sql immutable set search_path = ''
as $$ select 'a0000000-0000-4000-8000-00000000000a'::uuid $$;
comment on function tests.enterprise_a() is 'Enterprise A of the fixtures.';

create function tests.enterprise_b() returns uuid language sql immutable set search_path = ''
as $$ select 'b0000000-0000-4000-8000-00000000000b'::uuid $$;
comment on function tests.enterprise_b() is 'Enterprise B of the fixtures.';

create function tests.authenticate_as(p_enterprise_ids uuid[], p_user_id uuid default 'c0000000-0000-4000-8000-00000000000c')
returns void language plpgsql set search_path = ''
as $$
begin
  perform set_config('request.jwt.claims', jsonb_build_object(
    'sub', p_user_id, 'role', 'authenticated',
    'app_metadata', jsonb_build_object('enterprise_ids', to_jsonb(p_enterprise_ids))
  )::text, true);
  set local role authenticated;
end
$$;
comment on function tests.authenticate_as(uuid[], uuid) is 'Acts as an authenticated member of the given enterprises (JWT app_metadata.enterprise_ids) until clear_authentication() or the end of the transaction.';

create function tests.authenticate_as_anon() returns void language plpgsql set search_path = ''
as $$
begin
  perform set_config('request.jwt.claims', '{"role": "anon"}', true);
  set local role anon;
end
$$;
comment on function tests.authenticate_as_anon() is 'Acts as the anon role.';

create function tests.authenticate_as_service_role() returns void language plpgsql set search_path = ''
as $$
begin
  perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
  set local role service_role;
end
$$;
comment on function tests.authenticate_as_service_role() is 'Acts as service_role (bypasses RLS).';

create function tests.clear_authentication() returns void language plpgsql set search_path = ''
as $$
begin
  reset role;
  perform set_config('request.jwt.claims', '', true);
end
$$;
comment on function tests.clear_authentication() is 'Back to the session user (postgres) with no JWT claims.';

create function tests.create_enterprise_fixture(p_enterprise_id uuid) returns void
language plpgsql set search_path = ''
as $$
declare
  v_suffix text := left(p_enterprise_id::text, 8);
  v_workflow_id bigint;
begin
  insert into notify.typ_notification_category (name, code, path, enterprise_id)
    values ('fixture', 'fixture-category-' || v_suffix, 'fixture', p_enterprise_id);
  insert into notify.typ_notification_priority (name, code, enterprise_id)
    values ('fixture', 'fixture-priority-' || v_suffix, p_enterprise_id);
  insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('fixture', 'fixture-template-' || v_suffix, 'IN_APP', 'Hello {{name}}', p_enterprise_id);
  insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, enterprise_id, publish_status)
    values ('fixture', 'fixture-workflow-' || v_suffix, 'DYNAMIC', '{IN_APP}', p_enterprise_id, 'PUBLISH')
    returning id into v_workflow_id;
  insert into notify.ent_notification_rule (name, notification_workflow_id, trigger_type, enterprise_id, deactivated)
    values ('fixture', v_workflow_id, 'EVENT', p_enterprise_id, true);
  perform tests.create_notification(p_enterprise_id, 'fixture');
end
$$;
comment on function tests.create_enterprise_fixture(uuid) is 'One row named fixture in every contract table for the enterprise (the notification DRAFT).';

create function tests.create_shared_fixture() returns void
language plpgsql set search_path = ''
as $$
begin
  insert into notify.typ_notification_category (name, code, path) values ('shared fixture', 'fixture-category-shared', 'fixture');
  insert into notify.typ_notification_priority (name, code) values ('shared fixture', 'fixture-priority-shared');
  insert into notify.ent_notification_template (name, template_key, channel_type, body_template)
    values ('shared fixture', 'fixture-template-shared', 'IN_APP', 'Shared');
  insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, publish_status)
    values ('shared fixture', 'fixture-workflow-shared', 'DYNAMIC', '{IN_APP}', 'PUBLISH');
end
$$;
comment on function tests.create_shared_fixture() is 'One shared (enterprise_id null) row named shared fixture in each table that allows shared rows.';

create function tests.create_notification(
  p_enterprise_id uuid,
  p_name text,
  p_publish_status shared_types.publish_status default 'DRAFT',
  p_scheduled_for timestamptz default null
) returns bigint
language sql set search_path = ''
as $$
  insert into notify.ent_notification (name, enterprise_id, publish_status, scheduled_for, payload, recipients)
  values (p_name, p_enterprise_id, p_publish_status, p_scheduled_for, '{"title": "fixture"}', '{d0000000-0000-4000-8000-00000000000d}')
  returning id
$$;
comment on function tests.create_notification(uuid, text, shared_types.publish_status, timestamptz) is 'Inserts a notification (as the current role) and returns its id.';

create function tests.create_notification_in_status(p_enterprise_id uuid, p_name text, p_status shared_types.notification_status)
returns bigint
language plpgsql set search_path = ''
as $$
declare
  v_id bigint := tests.create_notification(p_enterprise_id, p_name, 'PUBLISH');
begin
  if p_status <> 'PENDING' then
    perform notify_internal.claim_notifications(array[v_id]);
  end if;
  case p_status
    when 'SENT' then perform notify_internal.mark_sent(v_id, 'xnovu-' || v_id);
    when 'FAILED' then perform notify_internal.mark_failed(v_id, '{"error": "fixture"}');
    when 'RETRACTED' then perform notify.cancel_notification(v_id, 'fixture');
    else null;
  end case;
  return v_id;
end
$$;
comment on function tests.create_notification_in_status(uuid, text, shared_types.notification_status) is 'A published notification moved along the legal path to the given status (run as postgres).';

create function tests.dispatch_message_count(p_notification_id bigint) returns bigint
language sql set search_path = ''
as $$
  select count(*) from pgmq.q_notification_dispatch q where (q.message ->> 'notification_id')::bigint = p_notification_id
$$;
comment on function tests.dispatch_message_count(bigint) is 'Messages in notification_dispatch for the notification.';

create function tests.cancellation_message_count(p_notification_id bigint) returns bigint
language sql set search_path = ''
as $$
  select count(*) from pgmq.q_notification_cancellation q where (q.message ->> 'notification_id')::bigint = p_notification_id
$$;
comment on function tests.cancellation_message_count(bigint) is 'Messages in notification_cancellation for the notification.';

create function tests.wait_for_dispatch_router() returns void language sql set search_path = ''
as $$
  -- The same key notify_internal.route_dispatch_intake try-locks. Waiting for it here (the lock
  -- is re-entrant within this transaction) keeps the running platform's dispatcher, which routes
  -- on its own, from making the test's router call find the router busy and move nothing.
  select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('notify_internal.route_dispatch_intake'))
$$;
comment on function tests.wait_for_dispatch_router() is 'Waits until no other session is routing the dispatch intake and holds the router for the rest of the transaction, so the test''s own notify_internal.route_dispatch_intake call does the routing.';

create function tests.capture_dispatcher_kicks(p_functions_url text) returns void
language plpgsql set search_path = ''
as $$
begin
  -- Stand in for pg_net only where neither pg_net nor the local stand-in exists.
  if to_regnamespace('net') is null then
    create schema net;
    create table net.http_request_queue (id bigserial primary key, method text, url text, headers jsonb, body bytea, timeout_milliseconds int);
    create function net.http_post(url text, body jsonb default '{}', params jsonb default '{}', headers jsonb default '{}', timeout_milliseconds int default 5000) returns bigint
    language sql as $f$ insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds) values ('POST', url, headers, convert_to(body::text, 'utf8'), timeout_milliseconds) returning id $f$;
  end if;
  delete from notify_internal.local_setting where name in ('functions_url', 'kick_secret');
  insert into notify_internal.local_setting (name, value) values ('functions_url', p_functions_url), ('kick_secret', 'test-kick-secret');
  perform tests.isolate_drain_leases();
end
$$;
comment on function tests.capture_dispatcher_kicks(text) is 'Points the dispatcher kicks at p_functions_url (kick secret test-kick-secret) for the rest of the transaction, so tests count them in net.http_request_queue; stands in for pg_net where it is missing. Isolates the drain leases (tests.isolate_drain_leases): no drain of the running platform spares a kick.';

create function tests.captured_kicks(p_function text) returns int
language sql set search_path = ''
as $$
  select count(*)::int from net.http_request_queue
  where url = notify_internal.setting('functions_url') || '/' || p_function
$$;
comment on function tests.captured_kicks(text) is 'How many kicks of edge function p_function this transaction queued, after tests.capture_dispatcher_kicks.';

create function tests.isolate_drain_leases() returns void
language plpgsql set search_path = ''
as $$
begin
  -- A drain of the running platform (kicked by the pg_cron sweep) holds a real
  -- lease now and then, and producers skip their kick while it does. For the
  -- rest of the transaction every lease lives in a sequence of its own under
  -- tests, at 0 (no lease) unless the test sets it; rolled back with the test.
  create sequence tests.dispatcher_drain_lease as bigint minvalue 0 start with 0;
  create sequence tests.dispatcher_express_drain_lease as bigint minvalue 0 start with 0;
  create sequence tests.rule_events_drain_lease as bigint minvalue 0 start with 0;
  create or replace function notify_internal.drain_lease_sequence(p_function text) returns regclass
  language plpgsql stable security invoker set search_path = ''
  as $f$
  begin
    return pg_catalog.format('tests.%I', pg_catalog.replace(p_function, '-', '_') || '_drain_lease')::regclass;
  end
  $f$;
end
$$;
comment on function tests.isolate_drain_leases() is 'For the rest of the transaction, drain leases are read from and written to tests.<function>_drain_lease (0: no drain holds one), apart from the running platform''s drains.';

create function tests.lease_drain(p_function text) returns void
language sql set search_path = ''
as $$
  select notify_internal.renew_drain(p_function, 600000)
$$;
comment on function tests.lease_drain(text) is 'Plays a running drain of edge function p_function: holds its lease for ten minutes (after tests.isolate_drain_leases, only within the test''s transaction).';

create function tests.create_rule(
  p_enterprise_id uuid,
  p_name text,
  p_trigger_type text,
  p_trigger_config jsonb,
  p_rule_payload jsonb default '{"payload": {"name": "fixture"}, "recipients": ["d0000000-0000-4000-8000-00000000000d"]}',
  p_publish_status shared_types.publish_status default 'PUBLISH'
) returns bigint
language sql set search_path = ''
as $$
  insert into notify.ent_notification_rule
    (name, enterprise_id, notification_workflow_id, trigger_type, trigger_config, rule_payload, publish_status)
  select p_name, p_enterprise_id, w.id, p_trigger_type, p_trigger_config, p_rule_payload, p_publish_status
  from notify.ent_notification_workflow w
  where w.workflow_key = 'fixture-workflow-' || left(p_enterprise_id::text, 8)
  returning id
$$;
comment on function tests.create_rule(uuid, text, text, jsonb, jsonb, shared_types.publish_status) is 'Inserts a rule (as the current role) on the enterprise''s fixture workflow (create_enterprise_fixture first) and returns its id.';

create function tests.firing(p_rule_id bigint, p_fire_at timestamptz default null, p_event_id bigint default null)
returns jsonb
language sql set search_path = ''
as $$
  select jsonb_strip_nulls(jsonb_build_object(
    'rule_id', r.id,
    'rule_version', to_char(r.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'fire_at', p_fire_at, 'event_id', p_event_id,
    'payload', r.rule_payload -> 'payload', 'recipients', r.rule_payload -> 'recipients'))
  from notify.ent_notification_rule r
  where r.id = p_rule_id
$$;
comment on function tests.firing(bigint, timestamptz, bigint) is 'A firing of the rule''s current version as the engine passes it to notify_internal.record_rule_firings.';

grant execute on all functions in schema tests to anon, authenticated, service_role;

select pass('tests schema created');
select * from finish();
commit;
