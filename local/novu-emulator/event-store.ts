/**
 * The emulator's memory of triggered events. Recent events keep everything (payload,
 * subscribers, rendered outputs); older ones are compacted to statuses so that a benchmark of
 * 20,000 events stays small, while transaction ids and idempotency keys are kept for all of
 * them (duplicate detection must not forget).
 *
 * Like Novu Cloud, a trigger whose `transactionId` was seen before is a new workflow run (one
 * more event under that id, counted in `redeliveries`): only the `Idempotency-Key` stops a
 * repeat (docs/api-reference/events/trigger-event.mdx, "Idempotency and billing", novuhq/novu
 * #11752: `transactionId` "does not provide the same API-level protection").
 */

export type StepStatus = "pending" | "executed" | "skipped" | "failed" | "cancelled";

export interface StepRecord {
  stepId: string;
  type: string;
  status: StepStatus;
  /** What the bridge rendered (subject/body/...), absent once compacted. */
  outputs?: Record<string, unknown>;
  /** Bridge error (HTTP status when there was an answer, body trimmed). */
  error?: { status?: number; body: string };
  /** Why a step was not executed (cancelled, an earlier step failed). */
  reason?: string;
}

export interface RecipientRecord {
  subscriberId: string;
  /** The subscriber sent to the bridge, absent once compacted. */
  subscriber?: Record<string, unknown>;
  steps: StepRecord[];
}

export type EventStatus = "queued" | "processing" | "completed" | "failed" | "cancelled";

export interface EventRecord {
  transactionId: string;
  workflowId: string;
  status: EventStatus;
  /** Why the event failed or was cancelled. */
  reason?: string;
  /** Epoch ms when the trigger was acknowledged. */
  acceptedAt: number;
  completedAt?: number;
  cancelRequestedAt?: number;
  /** Repeated requests with the same Idempotency-Key answered from the cache, not run again. */
  duplicates: number;
  idempotencyKey?: string;
  bridgeUrl: string;
  payload?: Record<string, unknown>;
  overrides?: Record<string, unknown>;
  context?: Record<string, unknown>;
  recipients: RecipientRecord[];
  /** True once payload, subscribers and outputs were dropped to save memory. */
  compacted: boolean;
}

export interface EventFilter {
  transactionId?: string;
  transactionIdPrefix?: string;
  workflowId?: string;
  status?: string;
  limit: number;
}

/** A replayable answer for a repeated `idempotency-key`, and the request it answered. */
export interface IdempotentAnswer {
  status: number;
  body: string;
  transactionIds: string[];
  /** The request body as Novu compares it (its JSON), to refuse a key reused for another. */
  requestBody: string;
}

export interface Counters {
  triggersAccepted: number;
  /** Bulk trigger calls answered (201), not counting replays. */
  bulkCalls: number;
  duplicates: number;
  /** Triggers run again under a transactionId already delivered (what Novu Cloud would send). */
  redeliveries: number;
  cancels: number;
  faults: { errors: number; rateLimited: number; timeouts: number };
}

function freshCounters(): Counters {
  return {
    triggersAccepted: 0,
    bulkCalls: 0,
    duplicates: 0,
    redeliveries: 0,
    cancels: 0,
    faults: { errors: 0, rateLimited: 0, timeouts: 0 },
  };
}

export class EventStore {
  readonly #maxDetailedEvents: number;
  #events: EventRecord[] = [];
  /** Every run of a transactionId, the first one first. */
  #byTransactionId = new Map<string, EventRecord[]>();
  #idempotentAnswers = new Map<string, IdempotentAnswer>();
  #compactedCount = 0;
  counters: Counters = freshCounters();

  constructor(maxDetailedEvents: number) {
    this.#maxDetailedEvents = maxDetailedEvents;
  }

  get size(): number {
    return this.#events.length;
  }

  add(event: EventRecord): void {
    this.#events.push(event);
    const runs = this.#byTransactionId.get(event.transactionId);
    if (runs) {
      runs.push(event);
      this.counters.redeliveries += 1;
    } else {
      this.#byTransactionId.set(event.transactionId, [event]);
    }
    this.counters.triggersAccepted += 1;
    while (this.#events.length - this.#compactedCount > this.#maxDetailedEvents) {
      compact(this.#events[this.#compactedCount]);
      this.#compactedCount += 1;
    }
  }

  /** The first run of `transactionId`. */
  get(transactionId: string): EventRecord | undefined {
    return this.#byTransactionId.get(transactionId)?.[0];
  }

  /** Every run of `transactionId` (a cancel reaches all of them). */
  runsOf(transactionId: string): EventRecord[] {
    return this.#byTransactionId.get(transactionId) ?? [];
  }

  /** Counts an idempotent replay for `transactionId`, answered without a new run. */
  countDuplicate(transactionId: string): void {
    const event = this.get(transactionId);
    if (event) event.duplicates += 1;
    this.counters.duplicates += 1;
  }

  idempotentAnswer(key: string): IdempotentAnswer | undefined {
    return this.#idempotentAnswers.get(key);
  }

  rememberIdempotentAnswer(key: string, answer: IdempotentAnswer): void {
    this.#idempotentAnswers.set(key, answer);
  }

  /** Newest first. */
  list(filter: EventFilter): EventRecord[] {
    const found: EventRecord[] = [];
    for (let index = this.#events.length - 1; index >= 0 && found.length < filter.limit; index--) {
      const event = this.#events[index];
      if (filter.transactionId && event.transactionId !== filter.transactionId) continue;
      if (
        filter.transactionIdPrefix && !event.transactionId.startsWith(filter.transactionIdPrefix)
      ) continue;
      if (filter.workflowId && event.workflowId !== filter.workflowId) continue;
      if (filter.status && event.status !== filter.status) continue;
      found.push(event);
    }
    return found;
  }

  reset(): void {
    this.#events = [];
    this.#byTransactionId = new Map();
    this.#idempotentAnswers = new Map();
    this.#compactedCount = 0;
    this.counters = freshCounters();
  }
}

function compact(event: EventRecord): void {
  delete event.payload;
  delete event.overrides;
  delete event.context;
  for (const recipient of event.recipients) {
    delete recipient.subscriber;
    for (const step of recipient.steps) delete step.outputs;
  }
  event.compacted = true;
}
