/**
 * The queue port: pgmq calls only, one port per queue. The notification store (claim,
 * settle, workflows) is a separate port (`store.ts`), as pgflow keeps `Queue.ts` apart from
 * its queries.
 */
export const DISPATCH_QUEUE = "notification_dispatch";
export const CANCELLATION_QUEUE = "notification_cancellation";
export type QueueName = typeof DISPATCH_QUEUE | typeof CANCELLATION_QUEUE;

export interface QueueMessage {
  msgId: number;
  /** pgmq's `read_ct`: how many times the message was read, this read included. */
  readCount: number;
  /**
   * Attempts spent under earlier messages of the same notification: a message put back after
   * a 429 is a new one (its `read_ct` starts again) carrying the attempts spent before it.
   */
  attemptsBefore: number;
  notificationId: number | null;
}

/** Attempts spent on a message's notification, this read included. */
export function attemptsOf(message: QueueMessage): number {
  return message.attemptsBefore + message.readCount;
}

export interface Queue {
  readonly name: QueueName;
  /** Leases up to `limit` visible messages for `visibilitySeconds` (`pgmq.read`). */
  read(visibilitySeconds: number, limit: number): Promise<QueueMessage[]>;
  delete(msgIds: number[]): Promise<void>;
  /**
   * Enqueues a new message for the notification, visible after `delaySeconds` (`pgmq.send`),
   * carrying `attemptsBefore`.
   */
  send(notificationId: number, attemptsBefore: number, delaySeconds: number): Promise<void>;
  /** Hides a message for `seconds` from now (`pgmq.set_vt`). */
  delay(msgId: number, seconds: number): Promise<void>;
  /**
   * Seconds until the earliest message is visible: a scheduled send, a retry, a message put
   * back by another process, or 0 for one that became visible after a round's last read.
   * Null when the queue is empty.
   */
  secondsUntilNextVisible(): Promise<number | null>;
}

/** The dispatcher's two queues. */
export interface DispatchQueues {
  dispatch: Queue;
  cancellation: Queue;
}
