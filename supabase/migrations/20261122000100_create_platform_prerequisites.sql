-- The management platform's database already provides these objects; a fresh
-- Supabase project does not. Each one is created only when it is missing so the
-- migration applies to both without replacing the platform's own definitions.

create extension if not exists ltree with schema extensions;

create schema if not exists shared_types;
comment on schema shared_types is 'Enum types shared by the management platform and XNovu.';
grant usage on schema shared_types to authenticated, service_role;

create schema if not exists func;
comment on schema func is 'Generic helper functions shared by the management platform and XNovu.';
grant usage on schema func to authenticated, service_role;

do $$
begin
  if to_regtype('shared_types.notification_channel_type') is null then
    create type shared_types.notification_channel_type as enum ('IN_APP', 'EMAIL', 'SMS', 'CHAT', 'PUSH');
    comment on type shared_types.notification_channel_type is 'A delivery channel of Novu.';
  end if;
  if to_regtype('shared_types.notification_workflow_type') is null then
    create type shared_types.notification_workflow_type as enum ('STATIC', 'DYNAMIC');
    comment on type shared_types.notification_workflow_type is 'STATIC workflows are code served by the bridge; DYNAMIC workflows are rows rendered from templates.';
  end if;
  if to_regtype('shared_types.notification_status') is null then
    create type shared_types.notification_status as enum ('PENDING', 'PROCESSING', 'SENT', 'FAILED', 'RETRACTED');
    comment on type shared_types.notification_status is 'Delivery status of a notification; moves are governed by notify_internal.enforce_status_transition.';
  end if;
  if to_regtype('shared_types.publish_status') is null then
    create type shared_types.publish_status as enum ('NONE', 'DRAFT', 'DISCARD', 'PUBLISH', 'DELETED', 'REVIEW');
    comment on type shared_types.publish_status is 'Editorial state of a row; only PUBLISH rows are ever used.';
  end if;

  if to_regprocedure('func.normalize_repr(text)') is null then
    create function func.normalize_repr(p_text text) returns text
    language sql immutable strict parallel safe
    set search_path = ''
    as $fn$
      select lower(regexp_replace(btrim(p_text), '\s+', ' ', 'g'))
    $fn$;
    comment on function func.normalize_repr(text) is 'Normalised representation of a name (trimmed, lower case, single spaces) used for the generated repr columns.';
  end if;

  if to_regprocedure('auth.user_id()') is null then
    create function auth.user_id() returns uuid
    language sql stable
    set search_path = ''
    as $fn$
      select auth.uid()
    $fn$;
    comment on function auth.user_id() is 'The calling user''s id (the JWT sub), used by created_by/updated_by defaults.';
    revoke execute on function auth.user_id() from public;
    grant execute on function auth.user_id() to anon, authenticated, service_role;
  end if;
end
$$;
