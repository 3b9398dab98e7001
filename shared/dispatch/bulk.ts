import { createHash } from "node:crypto";

/** Novu accepts at most this many events per bulk trigger. */
export const MAX_EVENTS_PER_BULK = 100;

/** One Novu trigger: a chunk of one notification's recipients. */
export interface NovuEvent {
  workflowId: string;
  to: string[];
  payload: Record<string, unknown>;
  overrides?: Record<string, unknown>;
  transactionId: string;
}

/** One HTTP call to Novu: a single trigger, or a bulk trigger of 2..100 events. */
export type TriggerCall =
  | { kind: "single"; event: NovuEvent; idempotencyKey: string }
  | { kind: "bulk"; events: NovuEvent[]; idempotencyKey: string };

/**
 * The same key for the same set of events on every retry, whatever their order: a single
 * trigger's key is its transaction id; a bulk key hashes the sorted ids.
 */
export function bulkIdempotencyKey(transactionIds: string[]): string {
  const digest = createHash("sha256").update([...transactionIds].sort().join("\n")).digest("hex");
  return `xnovu-bulk-${digest}`;
}

/** Groups ready events into as few calls as Novu allows: bulk where there are several. */
export function planTriggerCalls(events: NovuEvent[]): TriggerCall[] {
  const calls: TriggerCall[] = [];
  for (let start = 0; start < events.length; start += MAX_EVENTS_PER_BULK) {
    const group = events.slice(start, start + MAX_EVENTS_PER_BULK);
    calls.push(
      group.length === 1
        ? { kind: "single", event: group[0], idempotencyKey: group[0].transactionId }
        : {
          kind: "bulk",
          events: group,
          idempotencyKey: bulkIdempotencyKey(group.map((event) => event.transactionId)),
        },
    );
  }
  return calls;
}
