/**
 * Settle: what becomes of each message a batch read, shared by the dispatch and the
 * cancellation loops. A message is either done (deleted) or comes back later (its
 * visibility pushed out: a backoff after a failure, or a fixed wait); `apply` writes all of
 * it to the queue at once and reports the soonest comeback, so the drainer can time a kick.
 */
import { backoffDelayMs, delaySeconds } from "./backoff.ts";
import type { BatchResult } from "./dependencies.ts";
import type { DispatchFailure } from "./errors.ts";
import type { Queue, QueueMessage } from "./queue.ts";
import type { DispatchSettings } from "./settings.ts";

export interface Settlement {
  done(message: QueueMessage): void;
  /** Back after `seconds`. */
  later(message: QueueMessage, seconds: number): void;
  /** Back after the backoff for the message's attempt (at least the failure's Retry-After). */
  retry(message: QueueMessage, failure: DispatchFailure): void;
  apply(queue: Queue): Promise<BatchResult>;
}

export function createSettlement(
  messagesRead: number,
  settings: DispatchSettings,
  random: () => number,
): Settlement {
  const done: number[] = [];
  const delays: Array<{ msgId: number; seconds: number }> = [];
  return {
    done: (message) => void done.push(message.msgId),
    later: (message, seconds) => void delays.push({ msgId: message.msgId, seconds }),
    retry(message, failure) {
      const delayMs = backoffDelayMs(
        message.readCount,
        settings.backoff,
        random,
        failure.retryAfterMs,
      );
      delays.push({ msgId: message.msgId, seconds: delaySeconds(delayMs) });
    },
    async apply(queue) {
      await Promise.all([
        done.length > 0 ? queue.delete(done) : undefined,
        ...delays.map(({ msgId, seconds }) => queue.delay(msgId, seconds)),
      ]);
      return {
        messages: messagesRead,
        nextVisibleInSeconds: delays.length > 0
          ? Math.min(...delays.map((delay) => delay.seconds))
          : null,
      };
    },
  };
}
