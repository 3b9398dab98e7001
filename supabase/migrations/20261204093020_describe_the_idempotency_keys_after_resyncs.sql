-- After re-syncs the dispatcher tries every key of the notification's events,
-- oldest first (shared/novu/transaction-id.ts novuIdempotencyKeys), not only
-- the newest: a chunk that ran under an older key is replayed instead of run
-- again. The table's comment said the newest key only.

comment on table notify_internal.notification_novu_resync is 'Per notification, how many times (n) Novu answered its trigger with workflow_not_found and XNovu asked for a re-sync. Its events then try Idempotency-Key <transactionId>, <transactionId>-r1, ..., <transactionId>-r<n> in turn until Novu''s answer is not workflow_not_found: Novu replays a refused answer under its key for 24 hours, and a chunk that ran under an older key is replayed, not run again.';
