/**
 * One Novu trigger: a chunk of at most 100 of one notification's recipients
 * (`shared/dispatch/chunking.ts`), under its own `transactionId` (`xnovu-<id>-<chunk>`).
 *
 * Each event is its own `POST /v1/events/trigger` with `Idempotency-Key: <transactionId>`, never
 * part of a bulk call. Novu's idempotency is per request and per key (a repeat with the same
 * body replays the first answer, the same key with another body is refused), and
 * `transactionId` does not stop a repeat (novuhq/novu#11752); a bulk call's key would name the
 * batch, and an event retried in another batch would go out again under a new key (issue 7,
 * finding 6). One request per event gives every event one key for good.
 */
export interface NovuEvent {
  /** The notification the event belongs to (not sent to Novu). */
  notificationId: number;
  workflowId: string;
  to: string[];
  payload: Record<string, unknown>;
  overrides?: Record<string, unknown>;
  transactionId: string;
  /**
   * Re-syncs Novu's `workflow_not_found` caused for the notification: the event tries the keys
   * of `novuIdempotencyKeys` (shared/novu/transaction-id.ts) in turn. Absent: 0.
   */
  resyncs?: number;
}
