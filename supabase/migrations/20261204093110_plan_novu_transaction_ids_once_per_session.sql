-- notify_internal.planned_novu_transaction_ids was a SQL function with a
-- search_path setting, which PostgreSQL never inlines: called from a query's
-- where clause (record_delivery_event's lookup, twice per delivered channel
-- message), its body was parsed and planned again on every call, about 0.2 ms,
-- a third of that call's cost in the database. As plpgsql its plan is kept for
-- the session (0.05 ms a call). Same body, same answers.

create or replace function notify_internal.planned_novu_transaction_ids(
  p_notification_id bigint,
  p_recipient_count integer
) returns text[]
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
  -- The chunk size is Novu's trigger limit (MAX_RECIPIENTS_PER_TRIGGER in
  -- shared/novu/transaction-id.ts); the e2e chunking test compares this list
  -- with the events Novu received.
  return array(
    select pg_catalog.format('xnovu-%s-%s', p_notification_id, chunk)
      from pg_catalog.generate_series(0, ceil(coalesce(p_recipient_count, 0) / 100.0)::integer - 1) as chunk
     order by chunk
  );
end
$$;
comment on function notify_internal.planned_novu_transaction_ids(bigint, integer) is 'The Novu transactionId the dispatcher gives each event of a notification with this many recipients, one per chunk of 100: xnovu-<id>-0, xnovu-<id>-1, ... The one statement of that rule in SQL.';
