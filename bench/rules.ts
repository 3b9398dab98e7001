import { KICK_SECRET } from "../tests/support/env.ts";
/**
 * Rules: (1) 1,000 CRON rules due at the same minute: when all are materialised (before the
 * instant?), and the Novu emulator's acceptance lag after the instant, p50/p99; (2) event
 * ingest: events through notify.emit_event at a steady rate with 50 EVENT rules (each event
 * matches exactly one by its conditions): emit_event cost per call and event → Novu accepted
 * p50/p99. Each part ends with the CPU each process spent per notification, until the
 * emulator has run every step and sent every webhook (bench/cpu.ts).
 *
 *   ./dev bench rules [cron_rules] [events_per_s] [seconds]
 */
import { cpuSnapshot, printCpuPerNotification } from "./cpu.ts";
import {
  connect,
  emulatorAcceptance,
  emulatorIdle,
  NOVU_EXECUTION_MODE,
  percentile,
  resetEmulator,
} from "./support.ts";

const cronRules = Number(Deno.args[0] ?? 1_000);
const eventsPerSecond = Number(Deno.args[1] ?? 1_000);
const seconds = Number(Deno.args[2] ?? 30);
const EVENT_RULES = 50;
/** Concurrent emit_event callers (database connections). */
const EMITTERS = 12;
const FUNCTIONS_URL = Deno.env.get("FUNCTIONS_URL") ?? "http://127.0.0.1:54321/functions/v1";
const ENTERPRISE = "11111111-1111-4111-8111-111111111111";
const run = `bench-rules-${Date.now()}`;
const sql = connect(16);
const ms = (value: number) => `${value.toFixed(0)} ms`;
const sleep = (delay: number) => new Promise((resolve) => setTimeout(resolve, delay));

/** Polls until every transaction id has an acceptance time, or the deadline passes. */
async function acceptanceOf(transactionIds: string[], deadlineMs: number) {
  let accepted = new Map<string, number>();
  while (Date.now() < deadlineMs) {
    accepted = await emulatorAcceptance();
    if (transactionIds.every((id) => accepted.has(id))) break;
    await sleep(500);
  }
  return accepted;
}

async function cronBench() {
  // The instant: the first whole minute at least 45 s away (inside the 120 s look-ahead).
  const instant = new Date(Math.ceil((Date.now() + 45_000) / 60_000) * 60_000);
  const cron = `${instant.getUTCMinutes()} ${instant.getUTCHours()} ${instant.getUTCDate()} ${
    instant.getUTCMonth() + 1
  } *`;
  const cpuBefore = await cpuSnapshot(sql);
  await sql`
    insert into notify.ent_notification_rule
      (name, enterprise_id, notification_workflow_id, trigger_type, trigger_config, rule_payload, publish_status)
    select ${run} || '-cron-' || i, ${ENTERPRISE}::uuid, w.id, 'CRON', jsonb_build_object('cron', ${cron}::text),
           jsonb_build_object('payload', jsonb_build_object('body', 'Rule ' || i || ' at {{fire_at}}'),
                              'recipients', jsonb_build_array(gen_random_uuid())),
           'PUBLISH'
      from generate_series(1, ${cronRules}) i, notify.ent_notification_workflow w
     where w.workflow_key = 'default-sms'`;
  // The insert kicked the scheduler; a run of our own measures one full materialisation.
  const runStarted = performance.now();
  const response = await fetch(`${FUNCTIONS_URL}/rules-scheduler`, {
    method: "POST",
    headers: { authorization: `Bearer ${KICK_SECRET}` },
  });
  await response.body?.cancel();
  const runMs = performance.now() - runStarted;
  const rows = await sql<{ id: string; created_at: Date; scheduled_for: Date }[]>`
    select n.id::text, n.created_at, n.scheduled_for from notify.ent_notification n
      join notify.ent_notification_rule r on r.id = n.notification_rule_id
     where r.name like ${run + "-cron-%"}`;
  const lastCreated = Math.max(...rows.map((row) => row.created_at.getTime()));
  const exact = rows.every((row) => row.scheduled_for.getTime() === instant.getTime());
  console.log(
    `cron: ${rows.length}/${cronRules} rules materialised for ${instant.toISOString()}, all exact: ${exact}; ` +
      `last created ${
        ((instant.getTime() - lastCreated) / 1000).toFixed(1)
      } s before the instant; ` +
      `one full scheduler run (all duplicates by then) ${ms(runMs)}`,
  );
  const transactionIds = rows.map((row) => `xnovu-${row.id}-0`);
  const accepted = await acceptanceOf(transactionIds, instant.getTime() + 120_000);
  const lags = transactionIds.flatMap((id) =>
    accepted.has(id) ? [accepted.get(id)! - instant.getTime()] : []
  );
  console.log(
    `cron: ${lags.length}/${rows.length} accepted by Novu; lag after the instant p50 ${
      ms(percentile(lags, 50))
    }, p99 ${ms(percentile(lags, 99))}, max ${ms(Math.max(...lags))}; none early: ${
      lags.every((lag) => lag >= 0)
    }`,
  );
  await emulatorIdle();
  printCpuPerNotification(cpuBefore, await cpuSnapshot(sql), lags.length, "cron: ");
}

async function eventBench() {
  const eventName = `${run}.door`;
  await sql`
    insert into notify.ent_notification_rule
      (name, enterprise_id, notification_workflow_id, trigger_type, trigger_config, rule_payload, publish_status)
    select ${run} || '-event-' || k, ${ENTERPRISE}::uuid, w.id, 'EVENT',
           jsonb_build_object('event', ${eventName}::text,
                              'conditions', jsonb_build_object('==', jsonb_build_array(jsonb_build_object('var', 'event.payload.zone'), k))),
           jsonb_build_object('payload', jsonb_build_object('body', 'Zone {{event.payload.zone}} door {{event.payload.n}}'),
                              'recipients', jsonb_build_object('event_path', 'payload.resident')),
           'PUBLISH'
      from generate_series(0, ${EVENT_RULES - 1}) k, notify.ent_notification_workflow w
     where w.workflow_key = 'default-sms'`;
  const total = eventsPerSecond * seconds;
  const cpuBefore = await cpuSnapshot(sql);
  const emitMs: number[] = [];
  const started = performance.now();
  let next = 0;
  // A bounded pool paced against the schedule: a slow database lowers the achieved rate (printed)
  // instead of queueing thousands of calls in the client.
  const emitter = async () => {
    for (let i = next++; i < total; i = next++) {
      const wait = started + (i * 1000) / eventsPerSecond - performance.now();
      if (wait > 0) await sleep(wait);
      const callStarted = performance.now();
      await sql`select notify.emit_event(${ENTERPRISE}::uuid, ${eventName},
        ${sql.json({ zone: i % EVENT_RULES, n: i, resident: crypto.randomUUID() })})`;
      emitMs.push(performance.now() - callStarted);
    }
  };
  await Promise.all(Array.from({ length: EMITTERS }, emitter));
  const achieved = total / ((performance.now() - started) / 1000);
  console.log(
    `events: ${total} emitted at ${achieved.toFixed(0)}/s (target ${eventsPerSecond}/s); ` +
      `emit_event per call (client round trip) p50 ${percentile(emitMs, 50).toFixed(2)} ms, p99 ${
        percentile(emitMs, 99).toFixed(2)
      } ms`,
  );
  // The function's own cost, without the client round trip: 1,000 calls in one statement, for
  // an event no rule listens to.
  const inDatabaseStarted = performance.now();
  await sql`select notify.emit_event(${ENTERPRISE}::uuid, ${
    eventName + ".unheard"
  }, jsonb_build_object('n', i))
              from generate_series(1, 1000) i`;
  console.log(
    `events: emit_event in the database ${
      ((performance.now() - inDatabaseStarted) / 1000).toFixed(3)
    } ms per call ` +
      `(1,000 calls in one statement, record + queue + a pg_net kick unless a drain runs; ` +
      `while the backlog drains, so CPU contention counts: docs/internals.md, "Coalesced kicks")`,
  );
  const deadline = Date.now() + 180_000;
  let rows: { emitted_at: Date; notification_id: string | null }[] = [];
  while (Date.now() < deadline) {
    rows = await sql`
      select e.emitted_at, f.notification_id::text from notify.rule_event e
        left join notify.rule_firing f on f.event_id = e.id
       where e.event_name = ${eventName}`;
    if (rows.length === total && rows.every((row) => row.notification_id !== null)) break;
    await sleep(1_000);
  }
  const transactionIds = rows.flatMap((row) =>
    row.notification_id ? [`xnovu-${row.notification_id}-0`] : []
  );
  const accepted = await acceptanceOf(transactionIds, deadline);
  const lags = rows.flatMap((row) => {
    const at = row.notification_id ? accepted.get(`xnovu-${row.notification_id}-0`) : undefined;
    return at === undefined ? [] : [at - row.emitted_at.getTime()];
  });
  console.log(
    `events: ${transactionIds.length}/${total} matched one rule each, ${lags.length} accepted by Novu; ` +
      `event -> Novu accepted p50 ${ms(percentile(lags, 50))}, p99 ${ms(percentile(lags, 99))}`,
  );
  await emulatorIdle();
  // The 1,000 unheard events above cost a little too; the bulk is the matched ones.
  printCpuPerNotification(cpuBefore, await cpuSnapshot(sql), lags.length, "events: ");
}

try {
  await resetEmulator();
  console.log(NOVU_EXECUTION_MODE);
  if (cronRules > 0) await cronBench();
  if (eventsPerSecond > 0 && seconds > 0) await eventBench();
} finally {
  // Deleting the rules retracts whatever they still had scheduled.
  await sql`delete from notify.ent_notification_rule where name like ${run + "-%"}`;
  // Leave the emulator idle: held or trailing runs would weigh on whatever runs next.
  await emulatorIdle();
  await sql.end();
}
