import type { PayloadValidator } from "../dispatch/payload-validation.ts";
import { conditionsHold } from "./conditions.ts";
import { buildFiring, failedFiring, type FiringRecord, type RuleDefinition } from "./firing.ts";
import { type RecordFirings, recordInBatches } from "./record.ts";

/** An event as notify.emit_event recorded it. */
export interface EmittedEvent {
  id: number;
  enterpriseId: string;
  name: string;
  payload: Record<string, unknown>;
  emittedAt: string;
}

/** A message of queue rule_events with its event (null when the event row is gone). */
export interface QueuedEvent {
  messageId: number;
  event: EmittedEvent | null;
}

/** A published, active EVENT rule. */
export interface EventRule extends RuleDefinition {
  eventName: string;
  conditions?: unknown;
}

export interface EventMatch {
  eventId: number;
  matchedRules: number;
}

export interface EventWorkerDependencies {
  readEvents: (limit: number) => Promise<QueuedEvent[]>;
  /** The active EVENT rules of these events' enterprises and names. */
  loadEventRules: (events: EmittedEvent[]) => Promise<EventRule[]>;
  recordFirings: RecordFirings;
  /** Stamps the events processed and deletes their messages. */
  finishEvents: (messageIds: number[], matches: EventMatch[]) => Promise<void>;
  validatePayload: PayloadValidator;
  now: () => number;
  log: (message: string, context?: Record<string, unknown>) => void;
}

/**
 * The firings of one event: one per rule of the event's own enterprise and name whose
 * conditions hold (a condition that cannot be evaluated is a failed firing). Pure.
 */
export function eventFirings(
  event: EmittedEvent,
  rules: EventRule[],
  validatePayload: PayloadValidator,
): FiringRecord[] {
  const firings: FiringRecord[] = [];
  for (const rule of rules) {
    // The one place events meet rules: same enterprise, same name, never across enterprises.
    if (rule.enterpriseId !== event.enterpriseId || rule.eventName !== event.name) continue;
    const key = { event_id: event.id };
    const context = {
      rule: { id: rule.id, name: rule.name },
      event: {
        id: event.id,
        name: event.name,
        payload: event.payload,
        emitted_at: event.emittedAt,
      },
    };
    let holds: boolean;
    try {
      holds = conditionsHold(rule.conditions, context);
    } catch (error) {
      firings.push(failedFiring(rule, key, "failed", `conditions: ${(error as Error).message}`));
      continue;
    }
    if (holds) firings.push(buildFiring(rule, key, context, validatePayload));
  }
  return firings;
}

/**
 * Drains queue rule_events until it is empty or `deadline` passes: each batch's events are
 * matched, their firings recorded (the firing key rule + event makes a redelivered message
 * harmless), then the events stamped and their messages deleted.
 */
export function createEventRound(dependencies: EventWorkerDependencies, batchSize = 100) {
  return async (
    deadline: number,
    spent: () => boolean = () => false,
  ): Promise<{ nextVisibleInSeconds: number | null }> => {
    while (dependencies.now() < deadline && !spent()) {
      const queued = await dependencies.readEvents(batchSize);
      if (queued.length === 0) break;
      const events = queued.flatMap((message) => message.event ? [message.event] : []);
      const rules = events.length > 0 ? await dependencies.loadEventRules(events) : [];
      const firings = events.flatMap((event) =>
        eventFirings(event, rules, dependencies.validatePayload)
      );
      await recordInBatches(dependencies.recordFirings, firings, dependencies.log);
      const matches = events.map((event) => ({
        eventId: event.id,
        matchedRules: firings.filter((firing) => firing.event_id === event.id).length,
      }));
      await dependencies.finishEvents(queued.map((message) => message.messageId), matches);
    }
    return { nextVisibleInSeconds: null };
  };
}
