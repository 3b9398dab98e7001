import type postgres from "postgres";
import type { Sql } from "./client.ts";
import type { EmittedEvent, EventMatch, EventRule, QueuedEvent } from "../rules/events.ts";
import type { FiringRecord, RuleDefinition } from "../rules/firing.ts";
import { DEFAULT_PLAN_SETTINGS, type PlanSettings } from "../rules/plan.ts";
import type { FiringResult } from "../rules/record.ts";
import type { TimedRule } from "../rules/scheduler.ts";

/** How long a read event message stays hidden before it is redelivered (a crashed worker). */
const EVENT_VISIBILITY_TIMEOUT_S = 30;

interface RuleRow {
  id: string;
  enterprise_id: string;
  name: string;
  version: string;
  trigger_type: "CRON" | "SCHEDULE" | "EVENT";
  trigger_config: Record<string, unknown>;
  rule_payload: RuleDefinition["rulePayload"];
  workflow_id: string;
  workflow_updated_at: string;
  payload_schema: Record<string, unknown> | null;
}

// The version is updated_at to the microsecond: record_rule_firings compares it for equality.
const RULE_COLUMNS = (sql: Sql) =>
  sql`
  r.id::text, r.enterprise_id::text, r.name,
  to_char(r.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as version,
  r.trigger_type, r.trigger_config, r.rule_payload,
  w.id::text as workflow_id, w.updated_at::text as workflow_updated_at, w.payload_schema
`;

function definition(row: RuleRow): RuleDefinition {
  return {
    id: Number(row.id),
    enterpriseId: row.enterprise_id,
    name: row.name,
    version: row.version,
    rulePayload: row.rule_payload,
    workflow: {
      id: Number(row.workflow_id),
      version: row.workflow_updated_at,
      payloadSchema: row.payload_schema,
    },
  };
}

/** Published, active CRON and SCHEDULE rules of every enterprise, each with its own enterprise. */
export async function loadTimedRules(sql: Sql): Promise<TimedRule[]> {
  const rows = await sql<(RuleRow & { last_planned: Date | null })[]>`
    select ${RULE_COLUMNS(sql)},
      (select max(f.fire_at) from notify.rule_firing f
        where f.notification_rule_id = r.id and f.rule_version = r.updated_at) as last_planned
      from notify.ent_notification_rule r
      join notify.ent_notification_workflow w on w.id = r.notification_workflow_id
     where r.trigger_type in ('CRON', 'SCHEDULE')
       and r.publish_status = 'PUBLISH'
       and not r.deactivated
  `;
  return rows.map((row) => ({
    ...definition(row),
    trigger: {
      type: row.trigger_type,
      config: row.trigger_config,
    } as unknown as TimedRule["trigger"],
    lastPlanned: row.last_planned,
  }));
}

/** Published, active EVENT rules of exactly these events' enterprises and names. */
export async function loadEventRules(sql: Sql, events: EmittedEvent[]): Promise<EventRule[]> {
  const rows = await sql<RuleRow[]>`
    select ${RULE_COLUMNS(sql)}
      from notify.ent_notification_rule r
      join notify.ent_notification_workflow w on w.id = r.notification_workflow_id
      join (select distinct * from unnest(${events.map((e) => e.enterpriseId)}::uuid[],
                                          ${
    events.map((e) => e.name)
  }::text[]) as e (enterprise_id, name)) e
        on e.enterprise_id = r.enterprise_id and e.name = r.trigger_config ->> 'event'
     where r.trigger_type = 'EVENT'
       and r.publish_status = 'PUBLISH'
       and not r.deactivated
  `;
  return rows.map((row) => ({
    ...definition(row),
    eventName: String(row.trigger_config.event),
    conditions: row.trigger_config.conditions,
  }));
}

/** One call of notify_internal.record_rule_firings (one transaction). */
export async function recordFirings(sql: Sql, firings: FiringRecord[]): Promise<FiringResult[]> {
  const rows = await sql<FiringResult[]>`
    select notification_rule_id::int as rule_id, fire_at, event_id::int, firing_id::int, outcome, reason
      from notify_internal.record_rule_firings(${
    sql.json(firings as unknown as postgres.JSONValue)
  })
  `;
  return rows.map((row) => ({
    ...row,
    fire_at: row.fire_at === null ? null : new Date(row.fire_at).toISOString(),
  }));
}

/**
 * Reads up to `limit` messages of queue rule_events (renewing the drain's lease for `leaseMs`
 * first, when given), then their events, in two statements.
 * One statement joining `pgmq.read` to notify.rule_event lost events: pgmq.read's own query
 * takes a newer snapshot than the join, so a message committed (with its event) between the
 * two came back without its event and was finished unmatched. The second statement's
 * snapshot sees every event whose message the first one read.
 */
export async function readEvents(
  sql: Sql,
  limit: number,
  leaseMs = 0,
): Promise<QueuedEvent[]> {
  const messages = await sql<{ msg_id: string; event_id: string | null }[]>`
    select msg_id::text, event_id
      from notify_internal.read_rule_events(${limit}, ${EVENT_VISIBILITY_TIMEOUT_S}, ${leaseMs})
  `;
  if (messages.length === 0) return [];
  const events = await sql<
    {
      id: string;
      enterprise_id: string;
      event_name: string;
      payload: Record<string, unknown>;
      emitted_at: string;
    }[]
  >`
    select id::text, enterprise_id::text, event_name, payload,
           to_char(emitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as emitted_at
      from notify.rule_event
     where id = any(${messages.flatMap((m) => m.event_id === null ? [] : [m.event_id])}::bigint[])
  `;
  const byId = new Map(events.map((row) => [row.id, row]));
  return messages.map((message) => {
    const row = message.event_id === null ? undefined : byId.get(message.event_id);
    return {
      messageId: Number(message.msg_id),
      event: row === undefined ? null : {
        id: Number(row.id),
        enterpriseId: row.enterprise_id,
        name: row.event_name,
        payload: row.payload,
        emittedAt: row.emitted_at,
      },
    };
  });
}

/** Stamps events processed with their match counts and deletes their messages, in one transaction. */
export async function finishEvents(
  sql: Sql,
  messageIds: number[],
  matches: EventMatch[],
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`
      update notify.rule_event e
         set processed_at = now(), matched_rules = m.matched
        from unnest(${matches.map((m) => m.eventId)}::bigint[], ${
      matches.map((m) => m.matchedRules)
    }::int[]) as m (id, matched)
       where e.id = m.id
    `;
    await tx`select pgmq.delete(queue_name => 'rule_events', msg_ids => ${messageIds}::bigint[])`;
  });
}

/** The scheduler's settings (rules_lookahead_s, rules_grace_s), defaults where unset. */
export async function readPlanSettings(sql: Sql): Promise<PlanSettings> {
  const [row] = await sql<{ lookahead: string | null; grace: string | null }[]>`
    select notify_internal.setting('rules_lookahead_s') as lookahead,
           notify_internal.setting('rules_grace_s') as grace
  `;
  const seconds = (value: string | null, fallbackMs: number) => {
    const parsed = Number(value);
    return value !== null && Number.isFinite(parsed) && parsed > 0 ? parsed * 1000 : fallbackMs;
  };
  return {
    lookaheadMs: seconds(row.lookahead, DEFAULT_PLAN_SETTINGS.lookaheadMs),
    graceMs: seconds(row.grace, DEFAULT_PLAN_SETTINGS.graceMs),
  };
}
