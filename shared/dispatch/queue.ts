/**
 * The queue port: pgmq calls only, one port per queue. The notification store (claim,
 * settle, workflows) is a separate port (`store.ts`), as pgflow keeps `Queue.ts` apart from
 * its queries.
 */
import type { LaneBacklog, LaneRead } from "./selection.ts";

/** Where every enqueue writes first (the router moves its messages into lanes). */
export const INTAKE_QUEUE = "notification_dispatch";
export const CANCELLATION_QUEUE = "notification_cancellation";

export interface QueueMessage {
  /** The queue the message was read from (a lane, or the cancellation queue). */
  queue: string;
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
  readonly name: string;
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

/**
 * The dispatch side: the intake queue every enqueue writes to (`notification_dispatch`) and
 * the lanes the router moves its messages into (one pgmq queue per enterprise and priority
 * band, plus the urgent queue), all pgmq.
 */
export interface DispatchLanes {
  /** Moves up to `limit` visible intake messages into their lanes; how many moved. */
  route(limit: number): Promise<number>;
  /** Lanes with visible messages, each counted up to `cap`. */
  backlog(cap: number): Promise<LaneBacklog[]>;
  /** Leases `qty` messages from each lane (`pgmq.read`), in one round trip. */
  read(reads: LaneRead[], visibilitySeconds: number): Promise<QueueMessage[]>;
  /** The lane (or any dispatch queue) by name, to settle its messages. */
  queue(name: string): Queue;
  /** Seconds until the intake has a visible message or a lane a hidden one comes back. */
  secondsUntilNextVisible(): Promise<number | null>;
}

/** The dispatcher's queues. */
export interface DispatchQueues {
  /** The dispatch side: intake and lanes. */
  dispatch: DispatchLanes;
  cancellation: Queue;
}
