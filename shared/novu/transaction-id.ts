/**
 * Novu transaction ids of a notification (docs/internals.md, "Novu transaction ids"): the one
 * place the `xnovu-<id>-<chunk>` format lives. Chunk `k` of notification `n` is always
 * `xnovu-<n>-<k>`, so a retry or a re-read after a crash repeats the same ids and Novu
 * acknowledges the repeat without a second delivery.
 */

/** Novu accepts at most this many recipients per trigger. */
export const MAX_RECIPIENTS_PER_TRIGGER = 100;

export function chunkTransactionId(notificationId: number, chunkIndex: number): string {
  return `xnovu-${notificationId}-${chunkIndex}`;
}

/**
 * What `ent_notification.transaction_id` holds: the Novu transactionId of the first chunk, the
 * notification's only Novu event up to 100 recipients, so a caller can cancel it through Novu
 * with the stored value. `notify.novu_transaction_ids(id)` lists every chunk's.
 */
export function notificationTransactionId(notificationId: number): string {
  return chunkTransactionId(notificationId, 0);
}

export function chunkCount(recipientCount: number): number {
  return Math.ceil(recipientCount / MAX_RECIPIENTS_PER_TRIGGER);
}

/** Every chunk's transaction id, in chunk order. */
export function chunkTransactionIds(notificationId: number, recipientCount: number): string[] {
  return Array.from(
    { length: chunkCount(recipientCount) },
    (_, index) => chunkTransactionId(notificationId, index),
  );
}

/**
 * The notification a Novu transactionId belongs to (`xnovu-<n>-<k>` → n), or undefined for an
 * id XNovu did not make. Novu's message webhooks carry the transactionId of the event the
 * message belongs to; the database then checks the chunk exists (`notify.novu_transaction_ids`).
 */
export function notificationIdOfTransactionId(transactionId: string): number | undefined {
  const match = /^xnovu-([1-9][0-9]{0,17})-(0|[1-9][0-9]{0,8})$/.exec(transactionId);
  if (!match) return undefined;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) ? id : undefined;
}

/**
 * The Idempotency-Keys an event may go under, tried in this order until Novu's answer is not
 * `workflow_not_found`: its transactionId (novu-event.ts), then `<transactionId>-r<k>` for the
 * k-th re-sync that answer caused (k = 1..resyncs). Novu caches a refused trigger's answer under
 * its key for 24 hours and replays it (novuhq/novu apps/api/src/app/shared/framework/
 * idempotency.interceptor.ts caches errors like successes), so after a re-sync the old key
 * would get `workflow_not_found` again. Trying the older keys first keeps every event exactly
 * once: a chunk that ran under one of them is replayed (201) instead of run again, and only a
 * chunk every key refused goes under the newest one. Nothing ran under a refused key.
 */
export function novuIdempotencyKeys(transactionId: string, resyncs: number): string[] {
  return [
    transactionId,
    ...Array.from({ length: resyncs }, (_, index) => `${transactionId}-r${index + 1}`),
  ];
}
