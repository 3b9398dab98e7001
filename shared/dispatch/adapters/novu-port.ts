import { Novu } from "@novu/api";
import type { NovuEvent } from "../novu-event.ts";
import type { NovuPort } from "../send.ts";

/** How long one Novu call may take; well inside the queue's visibility timeout. */
const NOVU_TIMEOUT_MS = 10_000;

function toTrigger(event: NovuEvent) {
  return {
    workflowId: event.workflowId,
    to: event.to,
    payload: event.payload,
    overrides: event.overrides,
    transactionId: event.transactionId,
  };
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
      const { result } = await novu.trigger(toTrigger(event), idempotencyKey);
      return { status: result.status, ...(result.error && { error: result.error }) };
    },
    async cancel(transactionId) {
      await novu.cancel(transactionId);
    },
  };
}
