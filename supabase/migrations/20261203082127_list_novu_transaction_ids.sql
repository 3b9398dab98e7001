-- A notification with more than 100 recipients is triggered in Novu as one
-- event per chunk of 100, transactionId xnovu-<id>-<chunk> (shared/novu/
-- transaction-id.ts), while ent_notification.transaction_id holds one value:
-- the first chunk's transactionId (the only event up to 100 recipients), so
-- cancelling through Novu with the stored id, as seed 01 does, works for it.
-- This function lists every chunk's transactionId, so a caller can find each
-- Novu event of the row. notify.cancel_notification cancels them all itself.

create function notify.novu_transaction_ids(notification_id bigint)
returns text[]
language sql
stable
security invoker
set search_path = ''
as $$
  -- The chunk size is Novu's trigger limit (MAX_RECIPIENTS_PER_TRIGGER in
  -- shared/novu/transaction-id.ts); the e2e chunking test compares this list
  -- with the events Novu received.
  select array(
    select format('xnovu-%s-%s', n.id, chunk)
      from pg_catalog.generate_series(0, ceil(coalesce(cardinality(n.recipients), 0) / 100.0)::integer - 1) as chunk
     order by chunk
  )
    from notify.ent_notification n
   where n.id = novu_transaction_ids.notification_id
     and n.transaction_id is not null
$$;
comment on function notify.novu_transaction_ids(bigint) is 'The Novu transactionId of every event of a notification that was sent (one per chunk of 100 recipients: xnovu-<id>-0, xnovu-<id>-1, ...; transaction_id holds the first); null for one that never reached Novu, or that the caller may not read (RLS applies).';
revoke execute on function notify.novu_transaction_ids(bigint) from public, anon;
grant execute on function notify.novu_transaction_ids(bigint) to authenticated, service_role;
