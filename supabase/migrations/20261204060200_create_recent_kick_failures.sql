-- Whether the database's calls to the edge functions (dispatcher, rules
-- engine kicks through pg_net) are failing. pg_net records each finished
-- request in net._http_response (status_code, timed_out, error_msg; hosted
-- pg_net: https://github.com/supabase/pg_net#usage); XNovu's kicks are its
-- only pg_net requests, so those rows are the kicks' outcomes.

create function notify_internal.recent_kick_failures(p_within interval, p_newest integer)
returns table (considered integer, failed integer, newest_failure_at timestamptz, newest_failure text)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  if to_regclass('net._http_response') is null then
    -- Without pg_net nothing is kicked (the pg_cron sweep does the work).
    considered := 0; failed := 0;
    return next;
    return;
  end if;
  return query execute
    'with newest as (
       select r.created, r.status_code, r.timed_out, r.error_msg,
              r.error_msg is not null or coalesce(r.timed_out, false)
                or r.status_code is null or r.status_code not between 200 and 299 as is_failure
         from net._http_response r
        where r.created > pg_catalog.now() - $1
        order by r.created desc
        limit $2)
     select count(*)::integer,
            count(*) filter (where is_failure)::integer,
            max(created) filter (where is_failure),
            (select coalesce(n.error_msg,
                             case when n.timed_out then ''timed out'' end,
                             ''HTTP '' || coalesce(n.status_code::text, ''without status''))
               from newest n where n.is_failure order by n.created desc limit 1)
       from newest'
    using p_within, p_newest;
end
$$;
comment on function notify_internal.recent_kick_failures(interval, integer) is 'Of the newest p_newest pg_net responses within p_within: how many there are, how many failed (an error, a timeout or a non-2xx status), and the newest failure''s time and text.';
revoke execute on function notify_internal.recent_kick_failures(interval, integer) from public;
grant execute on function notify_internal.recent_kick_failures(interval, integer) to service_role;
