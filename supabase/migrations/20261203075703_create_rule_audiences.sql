-- Audiences: the safe stand-in for the "arbitrary JavaScript" recipients of the
-- original plan. An audience is a set-returning SQL function in schema
-- notify_audience, written by an operator (a migration, or the service role),
-- that receives the rule's enterprise and the firing context and returns
-- subscriber uuids. Members can neither create nor call them; the rules engine
-- calls them only through notify_internal.resolve_audience, always with the
-- rule's own enterprise.

create schema notify_audience;
comment on schema notify_audience is 'Audience functions of rules: notify_audience.<name>(enterprise_id uuid, context jsonb) returns setof uuid, created by operators (migrations, service_role) only; members can neither create nor call them.';
revoke all on schema notify_audience from public, anon, authenticated;
grant usage, create on schema notify_audience to service_role;
alter default privileges in schema notify_audience revoke execute on functions from public;

create function notify_internal.resolve_audience(p_audience text, p_enterprise_id uuid, p_context jsonb)
returns uuid[]
language plpgsql
-- Invoker: the engine runs as service_role (or the postgres login), which may
-- execute audiences; a definer here would let any grantee reach them.
security invoker
set search_path = ''
as $$
declare
  v_function regprocedure := to_regprocedure(format('notify_audience.%I(uuid, jsonb)', p_audience));
  v_recipients uuid[];
begin
  if v_function is null then
    raise exception 'no audience function notify_audience.%(uuid, jsonb)', p_audience
      using errcode = 'undefined_function';
  end if;
  execute format('select coalesce(array_agg(distinct r), ''{}'') from notify_audience.%I($1, $2) as r', p_audience)
    into v_recipients
    using p_enterprise_id, p_context;
  return v_recipients;
end
$$;
comment on function notify_internal.resolve_audience(text, uuid, jsonb) is 'Calls audience notify_audience.<p_audience>(enterprise_id, context) and returns its distinct subscriber uuids; the name is resolved as an identifier, never spliced as SQL.';
revoke execute on function notify_internal.resolve_audience(text, uuid, jsonb) from public;
grant execute on function notify_internal.resolve_audience(text, uuid, jsonb) to service_role;
