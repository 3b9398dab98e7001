/**
 * What the rules end-to-end tests share: rules inserted the way the platform inserts them (as a
 * member, through RLS), scheduler runs with an explicit "now", events emitted over HTTP with
 * supabase-js (`invokeAsMember`), and readers for a rule's firings and notifications.
 */
import { ENTERPRISE_A, FUNCTIONS_URL, KICK_SECRET } from "../../support/env.ts";
import { asMember, type Json, type Sql, waitFor } from "./platform.ts";

export interface RuleInput {
  name: string;
  workflowKey: string;
  triggerType: "CRON" | "SCHEDULE" | "EVENT";
  triggerConfig: Record<string, unknown>;
  rulePayload: Record<string, unknown>;
}

/** Inserts a published, active rule as a member of `enterpriseId`; returns its id. */
export async function createRule(
  sql: Sql,
  rule: RuleInput,
  enterpriseId = ENTERPRISE_A,
): Promise<number> {
  const [row] = await asMember(sql, (tx) =>
    tx<{ id: string }[]>`
      insert into notify.ent_notification_rule
        (name, enterprise_id, notification_workflow_id, trigger_type, trigger_config, rule_payload,
         publish_status)
      select ${rule.name}, ${enterpriseId}::uuid, w.id, ${rule.triggerType},
             ${JSON.stringify(rule.triggerConfig)}::text::jsonb,
             ${JSON.stringify(rule.rulePayload)}::text::jsonb,
             'PUBLISH'
        from notify.ent_notification_workflow w where w.workflow_key = ${rule.workflowKey}
      returning id::text`, enterpriseId);
  return Number(row.id);
}

/** Deletes test rules (retracting what they still had pending in the future). */
export async function deleteRules(sql: Sql, ids: number[]): Promise<void> {
  await sql`delete from notify.ent_notification_rule where id = any (${ids}::bigint[])`;
}

/** One run of the rules-scheduler function, as pg_cron's kick makes it, optionally at `now`. */
export async function runScheduler(now?: Date): Promise<Json> {
  const response = await fetch(`${FUNCTIONS_URL}/rules-scheduler`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${KICK_SECRET}`,
      "content-type": "application/json",
    },
    body: JSON.stringify(now ? { now: now.toISOString() } : {}),
  });
  const body = await response.json();
  if (response.status !== 200) {
    throw new Error(`scheduler answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

export interface RuleNotification {
  id: number;
  status: string;
  scheduled_for: Date | null;
  payload: Json;
  retraction_reason: string | null;
}

export function ruleNotifications(sql: Sql, ruleId: number): Promise<RuleNotification[]> {
  return sql<RuleNotification[]>`
    select id::int, notification_status::text as status, scheduled_for, payload, retraction_reason
      from notify.ent_notification where notification_rule_id = ${ruleId} order by id`;
}

export interface Firing {
  outcome: string;
  fire_at: Date | null;
  event_id: number | null;
  reason: string | null;
  notification_id: number | null;
}

export function firingsOf(sql: Sql, ruleId: number): Promise<Firing[]> {
  return sql<Firing[]>`
    select outcome, fire_at, event_id::int, reason, notification_id::int
      from notify.rule_firing where notification_rule_id = ${ruleId} order by id`;
}

/** A whole second at least `seconds` ahead of now (the instants the tests schedule). */
export function secondsAhead(seconds: number): Date {
  return new Date(Math.ceil(Date.now() / 1000) * 1000 + seconds * 1000);
}

/** Waits until the rules engine has matched event `eventId`; its times and match count. */
export function waitForMatched(sql: Sql, eventId: number, timeoutMs = 15_000) {
  return waitFor(async () => {
    const [event] = await sql<
      { matched_rules: number | null; emitted_at: Date; processed_at: Date }[]
    >`
      select matched_rules, emitted_at, processed_at from notify.rule_event
       where id = ${eventId} and processed_at is not null`;
    return event;
  }, { what: `event ${eventId} to be processed`, timeoutMs });
}
