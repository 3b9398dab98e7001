-- A bulk call's first send that Novu refused whole (a 4xx, a 429) ran nothing:
-- its events go alone or wait, and the request must not be resent later. Kept,
-- a later lost answer of the same notifications in a new request would have the
-- dispatcher resend this one too, and Novu, which never ran it, would run it then.

create function notify_internal.forget_novu_bulk_request(p_idempotency_key text) returns void
language sql
security invoker
set search_path = ''
as $$
  delete from notify_internal.novu_bulk_request r where r.idempotency_key = p_idempotency_key
$$;
comment on function notify_internal.forget_novu_bulk_request(text) is 'Forgets a bulk trigger whose first send Novu refused whole (nothing ran), whatever its notifications'' state.';
revoke execute on function notify_internal.forget_novu_bulk_request(text) from public;
grant execute on function notify_internal.forget_novu_bulk_request(text) to service_role;
