/**
 * Settle: what becomes of each message a batch read, shared by the dispatch and the
 * cancellation loops. A message is either done (deleted) or comes back later (its
 * visibility pushed out: a backoff after a failure, or a fixed wait); `apply` writes all of
 * it to the queue at once and reports the soonest comeback, so the drainer can time a kick.
 */
import { backoffDelayMs, delaySeconds } from "./backoff.ts";
import type { BatchResult } from "./dependencies.ts";
import type { DispatchFailure } from "./errors.ts";
import { attemptsOf, type Queue, type QueueMessage } from "./queue.ts";
import type { DispatchSettings } from "./settings.ts";

/** The sooner of two comebacks (seconds from now); null is "none". */
export function soonest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

export interface Settlement {
  done(message: QueueMessage): void;
  /** Back after `seconds`. */
  later(message: QueueMessage, seconds: number): void;
  /** Back after the backoff for the message's attempt (at least the failure's Retry-After). */
  retry(message: QueueMessage, failure: DispatchFailure): void;
  /**
   * A wait (errors.ts `isWait`: Novu's 429, a workflow awaiting its Novu sync): replaced by a
   * new message after the failure's `retryAfterMs` that carries the attempts spent before this
   * one, so the wait costs no attempt.
   */
  wait(message: QueueMessage, notificationId: number, failure: DispatchFailure): void;
  /** Writes the outcome to each message's queue (`queueNamed` resolves it). */
  apply(queueNamed: (name: string) => Queue): Promise<BatchResult>;
}

export function createSettlement(
  messagesRead: number,
  settings: DispatchSettings,
  random: () => number,
): Settlement {
  const done = new Map<string, number[]>();
  const markDone = (message: QueueMessage) =>
    void done.set(message.queue, [...done.get(message.queue) ?? [], message.msgId]);
  const delays: Array<{ queue: string; msgId: number; seconds: number }> = [];
  const replacements: Array<
    { queue: string; notificationId: number; attemptsBefore: number; seconds: number }
  > = [];
  return {
    done: markDone,
    later: (message, seconds) =>
      void delays.push({ queue: message.queue, msgId: message.msgId, seconds }),
    retry(message, failure) {
      const delayMs = backoffDelayMs(
        attemptsOf(message),
        settings.backoff,
        random,
        failure.retryAfterMs,
      );
      delays.push({ queue: message.queue, msgId: message.msgId, seconds: delaySeconds(delayMs) });
    },
    wait(message, notificationId, failure) {
      replacements.push({
        queue: message.queue,
        notificationId,
        attemptsBefore: attemptsOf(message) - 1,
        seconds: delaySeconds(Math.max(failure.retryAfterMs ?? 0, 1_000)),
      });
      markDone(message);
    },
    async apply(queueNamed) {
      // New messages first: a crash in between leaves a redundant message, never none.
      await Promise.all(
        replacements.map((replacement) =>
          queueNamed(replacement.queue).send(
            replacement.notificationId,
            replacement.attemptsBefore,
            replacement.seconds,
          )
        ),
      );
      await Promise.all([
        ...[...done].map(([queue, msgIds]) => queueNamed(queue).delete(msgIds)),
        ...delays.map(({ queue, msgId, seconds }) => queueNamed(queue).delay(msgId, seconds)),
      ]);
      return {
        messages: messagesRead,
        nextVisibleInSeconds: delays.length + replacements.length > 0
          ? Math.min(...[...delays, ...replacements].map((delay) => delay.seconds))
          : null,
      };
    },
  };
}
