-- A JWT whose app_metadata grants something that is not a uuid (enterprise_ids: ["x"])
-- made every query of that caller fail with invalid_text_representation (a 500 from the
-- functions). Such an entry grants nothing: the caller is refused like any outsider (403
-- from the functions, no rows under RLS). Supabase Auth lets only the service role write
-- app_metadata, so a malformed entry is the back end's mistake, never a way in.

create or replace function notify_internal.caller_enterprise_ids() returns uuid[]
language sql
stable
security invoker
set search_path = ''
as $$
  with app_metadata as (
    select auth.jwt() -> 'app_metadata' as claims
  ),
  claimed as (
    select e.value as enterprise_id
    from app_metadata,
      jsonb_array_elements(
        case when jsonb_typeof(app_metadata.claims -> 'enterprise_ids') = 'array'
          then app_metadata.claims -> 'enterprise_ids' else '[]' end
      ) as e (value)
    union all
    select app_metadata.claims -> 'enterprise_id'
    from app_metadata
  )
  select coalesce(array_agg(distinct (claimed.enterprise_id #>> '{}')::uuid), '{}')
  from claimed
  where jsonb_typeof(claimed.enterprise_id) = 'string'
    and claimed.enterprise_id #>> '{}'
      ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
$$;
comment on function notify_internal.caller_enterprise_ids() is 'Enterprises the caller''s JWT grants: app_metadata.enterprise_ids (array of uuids) plus app_metadata.enterprise_id (single uuid); entries that are not uuid strings grant nothing; empty when there is no claim. app_metadata is writable only by the service role.';
