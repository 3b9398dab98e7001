import type { RenderStep } from "../workflows/steps.ts";
import type { BulkLedger } from "./bulk.ts";
import type { PayloadValidator } from "./payload-validation.ts";
import type { DispatchQueues } from "./queue.ts";
import type { RateLimitStore } from "./rate-limit-store.ts";
import type { RetractionBoard } from "./retractions.ts";
import type { NovuPort } from "./send.ts";
import type { NotificationStore } from "./store.ts";

/**
 * Everything a batch touches, injected: the queues, the notification store, Novu, the
 * template renderer, the clock and randomness, so every loop runs in unit tests on fakes.
 */
export interface DispatchDependencies {
  queues: DispatchQueues;
  store: NotificationStore;
  /** Bulk triggers recorded until none of their notifications can be sent again (bulk.ts). */
  bulkLedger: BulkLedger;
  rateLimits: RateLimitStore;
  novu: NovuPort;
  /** Retractions the cancellation lane saw, for the dispatch lane of the same instance. */
  retractions: RetractionBoard;
  render: RenderStep;
  validatePayload: PayloadValidator;
  now: () => number;
  /** Waits `ms` (a timer); a batch holds a notification due within a second until its instant. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  log: (message: string, context?: Record<string, unknown>) => void;
}

export interface BatchResult {
  /** Messages read (0 = the queue had nothing visible). */
  messages: number;
  /** The soonest a message this batch put back becomes visible, in seconds; null if none. */
  nextVisibleInSeconds: number | null;
}
