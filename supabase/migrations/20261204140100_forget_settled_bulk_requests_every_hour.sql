-- A dispatcher that dies between settling a batch and closing its bulk requests
-- leaves requests whose notifications are all settled. They are harmless (never
-- resent: none of their notifications is sent again) but would pile up; pg_cron
-- forgets them every hour, through the same rule the dispatcher uses.

create function notify_internal.forget_settled_novu_bulk_requests() returns void
language sql
security invoker
set search_path = ''
as $$
  select notify_internal.close_novu_bulk_requests(
    array(select r.idempotency_key from notify_internal.novu_bulk_request r))
$$;
comment on function notify_internal.forget_settled_novu_bulk_requests() is 'The hourly sweep of the bulk trigger ledger: forgets every recorded request whose notifications are all settled (notify_internal.close_novu_bulk_requests).';
revoke execute on function notify_internal.forget_settled_novu_bulk_requests() from public;
grant execute on function notify_internal.forget_settled_novu_bulk_requests() to service_role;

do $$
begin
  if not exists (select from pg_catalog.pg_extension e where e.extname = 'pg_cron') then
    raise notice 'pg_cron is not installed: settled bulk requests are forgotten only by the dispatcher';
    return;
  end if;
  perform cron.schedule('xnovu-bulk-request-sweep', '41 * * * *',
    'select notify_internal.forget_settled_novu_bulk_requests()');
end
$$;
