-- A full dispatch batch goes to Novu as one bulk trigger (POST /v1/events/trigger/bulk)
-- instead of one request per event: one round trip and one SDK call for up to 100
-- events, about a tenth of the dispatcher's CPU per event (docs/internals.md
-- "Bulk triggers"). Novu's Idempotency-Key names the request, not its events, so
-- exactly once (issue 7) needs the request kept until its outcome is known: a call
-- whose answer was lost (timeout, 5xx, a crash after the call) is sent again whole,
-- under the same key with the same body, and Novu replays its first answer instead of
-- running the events twice. This ledger keeps each bulk request from just before it
-- is sent until none of its notifications can be sent again.

create table notify_internal.novu_bulk_request (
  idempotency_key text primary key,
  notification_ids bigint[] not null,
  -- json, not jsonb: a resend must serialise exactly as the first call did (Novu compares
  -- the bodies of two requests under one key), and jsonb reorders object keys.
  triggers json not null,
  created_at timestamptz not null default now(),
  constraint novu_bulk_request_names_at_least_one_notification
    check (cardinality(notification_ids) > 0),
  constraint novu_bulk_request_key_fits_novu_idempotency_limit
    check (char_length(idempotency_key) between 1 and 255),
  constraint novu_bulk_request_triggers_are_an_array
    check (json_typeof(triggers) = 'array')
);
comment on table notify_internal.novu_bulk_request is 'Bulk Novu triggers not yet settled: the Idempotency-Key, the notifications whose events the request carries and the request''s events exactly as sent. A notification in one of these rows is sent again only by resending its whole request under the same key (the dispatcher looks them up at every batch); a row goes once none of its notifications is PENDING or PROCESSING.';

-- The dispatcher asks, per batch, which of its notifications are in an open request.
create index novu_bulk_request_notification_ids_idx
  on notify_internal.novu_bulk_request using gin (notification_ids);

revoke all on notify_internal.novu_bulk_request from public;

create function notify_internal.record_novu_bulk_request(
  p_idempotency_key text,
  p_notification_ids bigint[],
  p_triggers json
)
returns void
language sql
security invoker
set search_path = ''
as $$
  insert into notify_internal.novu_bulk_request (idempotency_key, notification_ids, triggers)
  values (p_idempotency_key, p_notification_ids, p_triggers)
$$;
comment on function notify_internal.record_novu_bulk_request(text, bigint[], json) is 'Records a bulk trigger before it is sent (committed first, so a crash during the call leaves it to be resent).';

create function notify_internal.open_novu_bulk_requests(p_notification_ids bigint[])
returns table (idempotency_key text, notification_ids bigint[], triggers json)
language sql
stable
security invoker
set search_path = ''
as $$
  select r.idempotency_key, r.notification_ids, r.triggers
  from notify_internal.novu_bulk_request r
  where r.notification_ids && p_notification_ids
$$;
comment on function notify_internal.open_novu_bulk_requests(bigint[]) is 'The recorded bulk triggers that carry any of the given notifications: each is resent whole, as recorded, instead of sending those notifications anew.';

create function notify_internal.close_novu_bulk_requests(p_idempotency_keys text[])
returns void
language sql
security invoker
set search_path = ''
as $$
  -- Each of the request's own notifications is looked up by its id. Written as
  -- "n.id = any (r.notification_ids)", the planner took the partial index of all
  -- PENDING and PROCESSING rows and compared each with the ids: 25 ms per call
  -- during a 20,000-row flood, against 0.3 ms this way, whatever the backlog.
  delete from notify_internal.novu_bulk_request r
  where r.idempotency_key = any (p_idempotency_keys)
    and not exists (
      select 1
      from unnest(r.notification_ids) as m (id)
      where (select n.notification_status from notify.ent_notification n where n.id = m.id)
            in ('PENDING', 'PROCESSING')
    )
$$;
comment on function notify_internal.close_novu_bulk_requests(text[]) is 'Forgets the given bulk triggers whose notifications are all settled (none PENDING or PROCESSING, each looked up by its id): none of their events can be sent again. One that still has a notification to send stays, to be resent whole.';

-- A first send Novu refused whole (a 4xx, a 429) ran nothing: its events go
-- alone or wait, and the request must not be resent later. Kept, a later lost
-- answer of the same notifications in a new request would have the dispatcher
-- resend this one too, and Novu, which never ran it, would run it then.
create function notify_internal.forget_novu_bulk_request(p_idempotency_key text) returns void
language sql
security invoker
set search_path = ''
as $$
  delete from notify_internal.novu_bulk_request r where r.idempotency_key = p_idempotency_key
$$;
comment on function notify_internal.forget_novu_bulk_request(text) is 'Forgets a bulk trigger whose first send Novu refused whole (nothing ran), whatever its notifications'' state.';

do $$
declare
  v_function text;
begin
  foreach v_function in array array[
    'notify_internal.record_novu_bulk_request(text, bigint[], json)',
    'notify_internal.open_novu_bulk_requests(bigint[])',
    'notify_internal.close_novu_bulk_requests(text[])',
    'notify_internal.forget_novu_bulk_request(text)'
  ] loop
    execute format('revoke execute on function %s from public', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
