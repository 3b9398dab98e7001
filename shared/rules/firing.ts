import type { PayloadValidator, SchemaSource } from "../dispatch/payload-validation.ts";
import { renderPayload } from "./payload.ts";

/** `rule_payload` of a rule, as the database accepts it at save (README "Rules"). */
export interface RulePayload {
  payload: Record<string, unknown>;
  recipients: string[] | { audience: string } | { event_path: string };
  channels?: string[];
  overrides?: Record<string, unknown>;
  priority?: string;
  tags?: string[];
}

/** What every firing of a rule needs, whatever its trigger. */
export interface RuleDefinition {
  id: number;
  enterpriseId: string;
  name: string;
  /** The rule's updated_at, exactly as the database holds it (microseconds): the firing key's version. */
  version: string;
  rulePayload: RulePayload;
  workflow: SchemaSource;
}

/** The firing context: what payload templates, conditions and audiences see. */
export interface FiringContext extends Record<string, unknown> {
  rule: { id: number; name: string };
}

/** One firing as `notify_internal.record_rule_firings` takes it. */
export interface FiringRecord {
  rule_id: number;
  rule_version: string;
  fire_at?: string;
  event_id?: number;
  outcome?: "skipped" | "failed";
  reason?: string;
  payload?: unknown;
  recipients?: string[];
  audience?: string;
  context?: FiringContext;
}

export type FiringKey = { fire_at: string } | { event_id: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A firing that did not create a notification, and why; it is recorded all the same. */
export function failedFiring(
  rule: RuleDefinition,
  key: FiringKey,
  outcome: "skipped" | "failed",
  reason: string,
): FiringRecord {
  return { rule_id: rule.id, rule_version: rule.version, ...key, outcome, reason };
}

function valueAtPath(root: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>(
    (value, segment) =>
      value !== null && typeof value === "object"
        ? (value as Record<string, unknown>)[segment]
        : undefined,
    root,
  );
}

/** Recipients from the event (`{"event_path": "payload.residentIds"}`): uuids, or why not. */
function recipientsFromEvent(context: FiringContext, path: string): string[] | string {
  const found = valueAtPath(context.event, path);
  const ids = typeof found === "string" ? [found] : found;
  if (!Array.isArray(ids) || ids.length === 0) {
    return `recipients: event ${path} is not a uuid or a non-empty list of uuids`;
  }
  const bad = ids.find((id) => typeof id !== "string" || !UUID.test(id));
  if (bad !== undefined) {
    return `recipients: event ${path} holds ${JSON.stringify(bad)}, not a uuid`;
  }
  return [...new Set(ids as string[])];
}

/**
 * One firing of `rule` for `key`: its payload rendered against `context` and checked against
 * the workflow's payload_schema, its recipients resolved (a static list, a path into the event,
 * or an audience the database calls). Never throws: what fails becomes a failed firing.
 */
export function buildFiring(
  rule: RuleDefinition,
  key: FiringKey,
  context: FiringContext,
  validatePayload: PayloadValidator,
): FiringRecord {
  let payload: unknown;
  try {
    payload = renderPayload(rule.rulePayload.payload, context);
  } catch (error) {
    return failedFiring(rule, key, "failed", `payload: ${(error as Error).message}`);
  }
  const verdict = validatePayload(rule.workflow, payload as Record<string, unknown>);
  if (!verdict.valid) return failedFiring(rule, key, "failed", verdict.message);

  const base = { rule_id: rule.id, rule_version: rule.version, ...key, payload };
  const recipients = rule.rulePayload.recipients;
  if (Array.isArray(recipients)) return { ...base, recipients };
  if ("audience" in recipients) return { ...base, audience: recipients.audience, context };
  const fromEvent = recipientsFromEvent(context, recipients.event_path);
  if (typeof fromEvent === "string") return failedFiring(rule, key, "failed", fromEvent);
  return { ...base, recipients: fromEvent };
}
