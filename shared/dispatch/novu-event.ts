/**
 * One Novu trigger: a chunk of at most 100 of one notification's recipients
 * (`shared/dispatch/chunking.ts`), under its own `transactionId` (`xnovu-<id>-<chunk>`).
 *
 * Novu's idempotency is per request and per key (a repeat with the same body replays the first
 * answer, the same key with another body is refused), and `transactionId` does not stop a
 * repeat (novuhq/novu#11752). An event sent on its own is `POST /v1/events/trigger` with
 * `Idempotency-Key: <transactionId>`, the same key on every attempt. A full batch goes as one
 * bulk call (bulk.ts) whose key names the request: the request is recorded before it is sent
 * and, while its outcome is unknown, sent again only whole, under its key (issue 7, finding 6).
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

/** What goes to Novu for an event (`@novu/api`'s TriggerEventRequestDto), and nothing else. */
export interface NovuTrigger {
  workflowId: string;
  to: string[];
  payload: Record<string, unknown>;
  overrides?: Record<string, unknown>;
  transactionId: string;
}

export function novuTrigger(event: NovuEvent): NovuTrigger {
  return {
    workflowId: event.workflowId,
    to: event.to,
    payload: event.payload,
    ...(event.overrides !== undefined && { overrides: event.overrides }),
    transactionId: event.transactionId,
  };
}
