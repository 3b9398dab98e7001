-- One helper decides which enterprises an authenticated caller reaches; every
-- policy and the cancellation RPC call it.

create function notify_internal.caller_enterprise_ids() returns uuid[]
language sql
stable
security invoker
set search_path = ''
as $$
  with app_metadata as (
    select auth.jwt() -> 'app_metadata' as claims
  )
  select coalesce(array_agg(distinct granted.enterprise_id), '{}')
  from app_metadata,
    lateral (
      select e.value::uuid as enterprise_id
      from jsonb_array_elements_text(
        case when jsonb_typeof(app_metadata.claims -> 'enterprise_ids') = 'array'
          then app_metadata.claims -> 'enterprise_ids' else '[]' end
      ) as e (value)
      union
      select (app_metadata.claims ->> 'enterprise_id')::uuid
      where jsonb_typeof(app_metadata.claims -> 'enterprise_id') = 'string'
    ) as granted
$$;
comment on function notify_internal.caller_enterprise_ids() is 'Enterprises the caller''s JWT grants: app_metadata.enterprise_ids (array of uuids) plus app_metadata.enterprise_id (single uuid); empty when there is no claim. app_metadata is writable only by the service role.';
revoke execute on function notify_internal.caller_enterprise_ids() from public;
grant execute on function notify_internal.caller_enterprise_ids() to authenticated, service_role;
