/**
 * What the end-to-end tests share: a database client, inserts made the way the management
 * platform makes them (SQL as an `authenticated` member, or the `trigger` function through
 * supabase-js), readers for the notification row and its history, the Novu emulator's admin
 * API, dispatcher settings overridden for one test, and one polling helper.
 */
import assert from "node:assert/strict";
import { createClient, FunctionsHttpError } from "@supabase/supabase-js";
import postgres from "postgres";
import { DB_URL, ENTERPRISE_A, FUNCTIONS_URL, runSuffix } from "../../support/env.ts";
import { memberJwt } from "../../support/jwt.ts";
import { clearFaults, EMULATOR_URL, emulatorEvents, setFaults } from "../../support/emulator.ts";
import { waitFor } from "../../support/wait.ts";
import { SETTINGS_MAX_AGE_MS } from "../../../shared/dispatch/round.ts";

export { clearFaults, EMULATOR_URL, emulatorEvents, setFaults, waitFor };

export const SUPABASE_URL = Deno.env.get("SUPABASE_URL") ?? new URL(FUNCTIONS_URL).origin;
/** The Supabase CLI's well-known local anon key (what `local/lib/env.sh` exports). */
export const SUPABASE_ANON_KEY = Deno.env.get("SUPABASE_ANON_KEY") ??
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";

/** The platform's user: a member of enterprise A only. */
export const MEMBER_ID = "e2e00000-0000-4000-8000-000000000001";
const memberClaims = (enterpriseId: string) => ({
  role: "authenticated",
  sub: MEMBER_ID,
  app_metadata: { enterprise_ids: [enterpriseId] },
});

// deno-lint-ignore no-explicit-any
export type Json = any;
export type Sql = postgres.Sql;

export function connect(): Sql {
  return postgres(DB_URL, { prepare: false, max: 3, onnotice: () => {} });
}

/** A recipient (subscriber) id, distinct per test run and index. */
export function recipientIds(count: number): string[] {
  const run = crypto.randomUUID().slice(0, 8);
  return Array.from(
    { length: count },
    (_, index) => `${run}-0000-4000-8000-${index.toString(16).padStart(12, "0")}`,
  );
}

export const uniqueName = (label: string) => `e2e-${label}-${runSuffix()}`;

// ---- inserting as the management platform ----

export interface NotificationInput {
  name: string;
  workflowKey: string;
  payload: Record<string, unknown>;
  recipients: string[];
  channels?: string[] | null;
  overrides?: Record<string, unknown> | null;
  publishStatus?: "PUBLISH" | "DRAFT";
  /** Seconds from the database's now(). */
  scheduledInSeconds?: number;
}

/** Runs `work` in a transaction as an `authenticated` member of `enterpriseId` (RLS applies). */
export function asMember<T>(
  sql: Sql,
  work: (tx: postgres.TransactionSql) => Promise<T>,
  enterpriseId = ENTERPRISE_A,
): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`set local role authenticated`;
    await tx`select set_config('request.jwt.claims', ${
      JSON.stringify(memberClaims(enterpriseId))
    }, true)`;
    return await work(tx);
  }) as Promise<T>;
}

/** One plain multi-row INSERT as a member of enterprise A; ids in input order. */
export async function insertAsMember(
  sql: Sql,
  notifications: NotificationInput[],
  enterpriseId = ENTERPRISE_A,
): Promise<number[]> {
  const rows = notifications.map((notification, index) => ({
    ordinal: index,
    name: notification.name,
    workflow_key: notification.workflowKey,
    payload: notification.payload,
    recipients: notification.recipients,
    channels: notification.channels ?? null,
    overrides: notification.overrides ?? null,
    publish_status: notification.publishStatus ?? "PUBLISH",
    scheduled_in_seconds: notification.scheduledInSeconds ?? null,
  }));
  const inserted = await asMember(sql, (tx) =>
    tx<{ id: string; name: string }[]>`
      insert into notify.ent_notification
        (name, notification_workflow_id, payload, recipients, channels, overrides, enterprise_id,
         publish_status, scheduled_for)
      select r.name, w.id, r.payload, r.recipients, r.channels, r.overrides, ${enterpriseId}::uuid,
             r.publish_status,
             now() + make_interval(secs => r.scheduled_in_seconds)
        from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as r (
               ordinal integer, name text, workflow_key text, payload jsonb, recipients uuid[],
               channels shared_types.notification_channel_type[], overrides jsonb,
               publish_status shared_types.publish_status, scheduled_in_seconds double precision)
        join notify.ent_notification_workflow w on w.workflow_key = r.workflow_key
       order by r.ordinal
      returning id::text, name`, enterpriseId);
  const idByName = new Map(inserted.map((row) => [row.name, Number(row.id)]));
  assert.equal(idByName.size, notifications.length, "every notification was inserted");
  return notifications.map((notification) => idByName.get(notification.name)!);
}

/** `POST /functions/v1/<name>` through supabase-js as a member of `enterpriseId`. */
export async function invokeAsMember(
  name: string,
  body: Record<string, unknown>,
  enterpriseId = ENTERPRISE_A,
): Promise<{ status: number; body: Json }> {
  const client = createClient(SUPABASE_URL, SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${await memberJwt([enterpriseId])}` } },
  });
  const { data, error, response } = await client.functions.invoke(name, { body });
  if (error === null) return { status: response!.status, body: data };
  assert.ok(error instanceof FunctionsHttpError, `unexpected invoke error ${error}`);
  const failed = error.context as Response;
  return { status: failed.status, body: await failed.json() };
}

/** `POST /functions/v1/trigger` through supabase-js as a member of `enterpriseId`. */
export const invokeTrigger = (body: Record<string, unknown>, enterpriseId = ENTERPRISE_A) =>
  invokeAsMember("trigger", body, enterpriseId);

// ---- reading the notification ----

export interface NotificationState {
  status: string;
  publish_status: string;
  transaction_id: string | null;
  processed_at: Date | null;
  scheduled_for: Date | null;
  error_details: Json;
}

export async function notificationState(sql: Sql, id: number): Promise<NotificationState> {
  const [row] = await sql<NotificationState[]>`
    select notification_status::text as status, publish_status::text as publish_status,
           transaction_id, processed_at, scheduled_for, error_details
      from notify.ent_notification where id = ${id}`;
  assert.ok(row, `notification ${id} exists`);
  return row;
}

export function waitForStatus(
  sql: Sql,
  id: number,
  status: string,
  timeoutMs = 15_000,
): Promise<NotificationState> {
  return waitFor(async () => {
    const state = await notificationState(sql, id);
    if (state.status === status) return state;
    // A final status other than the awaited one will not change: fail now, with the reason.
    if (["SENT", "FAILED", "RETRACTED"].includes(state.status)) {
      throw new Error(
        `notification ${id} is ${state.status}, expected ${status}: ${
          JSON.stringify(state.error_details)
        }`,
      );
    }
    return undefined;
  }, { what: `notification ${id} to be ${status}`, timeoutMs });
}

/** Waits until every one of these notifications is SENT. */
export function waitForAllSent(sql: Sql, ids: number[], timeoutMs: number): Promise<true> {
  return waitFor(async () => {
    const [{ sent }] = await sql<{ sent: number }[]>`
      select count(*)::int as sent from notify.ent_notification
       where id = any (${ids}::bigint[]) and notification_status = 'SENT'`;
    return sent === ids.length ? true : undefined;
  }, { what: `all ${ids.length} notifications SENT`, timeoutMs, intervalMs: 250 });
}

export interface HistoryEntry {
  move: string;
  changed_at: Date;
  changed_by_role: string | null;
  details: Json;
}

/** The status history as `FROM->TO` moves, oldest first. */
export function history(sql: Sql, id: number): Promise<HistoryEntry[]> {
  return sql<HistoryEntry[]>`
    select coalesce(from_status::text, '') || '->' || to_status::text as move, changed_at,
           changed_by_role, details
      from notify.notification_status_history where notification_id = ${id} order by id`;
}

export async function moves(sql: Sql, id: number): Promise<string[]> {
  return (await history(sql, id)).map((entry) => entry.move);
}

// ---- the Novu emulator ----

/** Waits until the emulator finished (ran every step of) all `count` events of a notification. */
export function waitForFinishedEvents(
  notificationId: number,
  count = 1,
  timeoutMs = 15_000,
): Promise<Json[]> {
  return waitFor(async () => {
    const events = await emulatorEvents(notificationId);
    const finished = events.length === count &&
      events.every((event) => ["completed", "failed", "cancelled"].includes(event.status));
    return finished ? events : undefined;
  }, { what: `${count} finished emulator event(s) of notification ${notificationId}`, timeoutMs });
}

/** The steps one recipient went through, by step id. */
export function stepsOf(event: Json, recipientIndex = 0): Record<string, Json> {
  return Object.fromEntries(
    event.recipients[recipientIndex].steps.map((step: Json) => [step.stepId, step]),
  );
}

// ---- dispatcher settings ----

/**
 * Runs `work` with dispatcher settings overridden in `notify_internal.local_setting`, then
 * puts back exactly what was there (a value or no row). A running drain's batches use settings
 * read up to SETTINGS_MAX_AGE_MS earlier (a drain lingers under its lease instead of starting
 * afresh at every insert), so each change is given that long to reach them.
 */
export async function withDispatchSettings<T>(
  sql: Sql,
  settings: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  const names = Object.keys(settings);
  const before = await sql<{ name: string; value: string }[]>`
    select name, value from notify_internal.local_setting where name = any (${names})`;
  try {
    for (const [name, value] of Object.entries(settings)) {
      await sql`insert into notify_internal.local_setting (name, value) values (${name}, ${value})
                on conflict (name) do update set value = excluded.value`;
    }
    await settingsReachTheDispatcher();
    return await work();
  } finally {
    await sql`delete from notify_internal.local_setting where name = any (${names})`;
    for (const row of before) {
      await sql`insert into notify_internal.local_setting (name, value)
                values (${row.name}, ${row.value})`;
    }
    await settingsReachTheDispatcher();
  }
}

const settingsReachTheDispatcher = () =>
  new Promise((resolve) => setTimeout(resolve, SETTINGS_MAX_AGE_MS + 100));

// ---- the local platform's own scripts ----

const REPO_ROOT = new URL("../../../", import.meta.url).pathname;

/** Runs a bash snippet of the local platform's scripts from the repository root. */
export async function platform(script: string): Promise<void> {
  const output = await new Deno.Command("bash", {
    args: [
      "-c",
      `source local/lib/env.sh; source local/lib/db.sh; source local/lib/services.sh; ${script}`,
    ],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
}

/** The pid of the local functions server. */
async function functionsServerPid(): Promise<number> {
  return Number((await Deno.readTextFile(`${REPO_ROOT}.local/run/functions.pid`)).trim());
}

function isAlive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills the local functions server, the gateway and every function's worker process (its
 * process group: the service starts under setsid), with SIGKILL, and waits until the gateway is
 * gone: a process still dying would look running to `startServices`, which would then not start
 * a new one.
 */
export async function killFunctionsServer(): Promise<void> {
  const pid = await functionsServerPid();
  Deno.kill(-pid, "SIGKILL");
  await waitFor(() => Promise.resolve(isAlive(pid) ? undefined : true), {
    what: "the functions server to die",
    timeoutMs: 5_000,
    intervalMs: 20,
  });
}

/** Starts the local platform's services that are not running (say, a killed functions server). */
export async function startServices(): Promise<void> {
  await platform("start_services");
  const health = await fetch(`${FUNCTIONS_URL}/health`);
  await health.body?.cancel();
}
