import { Novu } from "@novu/api";
import { novuTrigger } from "../novu-event.ts";
import type { NovuPort, TriggerOutcome } from "../send.ts";

/** How long one Novu call may take; well inside the queue's visibility timeout. */
const NOVU_TIMEOUT_MS = 10_000;

function outcome(result: { status: string; error?: string[] }): TriggerOutcome {
  return { status: result.status, ...(result.error && { error: result.error }) };
}

/**
 * `@novu/api` with its own retries off: the dispatcher's backoff (queue visibility, attempt
 * count in pgmq) is the only retry loop, so an attempt count means what it says.
 */
export function createNovuPort(options: { secretKey: string; serverURL?: string }): NovuPort {
  const novu = new Novu({
    secretKey: options.secretKey,
    ...(options.serverURL && { serverURL: options.serverURL }),
    retryConfig: { strategy: "none" },
    timeoutMs: NOVU_TIMEOUT_MS,
  });
  return {
    async trigger(event, idempotencyKey) {
      const { result } = await novu.trigger(novuTrigger(event), idempotencyKey);
      return outcome(result);
    },
    async triggerBulk(triggers, idempotencyKey) {
      const { result } = await novu.triggerBulk({ events: triggers }, idempotencyKey);
      return result.map(outcome);
    },
    async cancel(transactionId) {
      await novu.cancel(transactionId);
    },
  };
}
