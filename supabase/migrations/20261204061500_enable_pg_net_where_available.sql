-- The enqueue kick, the rules engine's kicks and the health part "kicks" need
-- pg_net. Hosted Supabase lists it among the available extensions but does not
-- enable it by default (https://supabase.com/docs/guides/database/extensions/pg_net),
-- so without this every kick is skipped and only the pg_cron sweep would move
-- work. Where pg_net is not available (the local platform installs a stand-in
-- with the same interface before the migrations run) nothing changes.

do $$
begin
  if to_regnamespace('net') is null
     and exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_net') then
    create extension pg_net;
  end if;
end
$$;
