/**
 * Fairness across enterprises: enterprise B inserts one notification at a time at a steady
 * rate, first alone, then while enterprise A's flood (20,000 rows in one statement) is being
 * delivered. Prints B's p50/p99 insert → Novu-accepted in both phases and their ratio (the
 * target: B's p99 during the flood ≤ 2× alone), and how long A's flood took.
 *
 *   ./dev bench fairness [flood_rows] [b_rate_per_s] [seconds_alone]
 */
import {
  acceptanceLatencies,
  benchPayload,
  connect,
  deleteBenchRows,
  emulatorIdle,
  ENTERPRISES,
  NOVU_EXECUTION_MODE,
  percentile,
  queueWaits,
  resetEmulator,
  workflowIds,
} from "./support.ts";

const floodRows = Number(Deno.args[0] ?? 20_000);
const ratePerSecond = Number(Deno.args[1] ?? 10);
const secondsAlone = Number(Deno.args[2] ?? 15);
const [A, B] = ENTERPRISES;
const namePrefix = `bench-fairness-${Date.now()}-`;

const sql = connect(8);
await resetEmulator();
console.log(NOVU_EXECUTION_MODE);
const workflows = await workflowIds(sql);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** B's single-row inserts at `ratePerSecond` until `until()` says stop; ids with insert time. */
async function insertB(phase: string, until: () => boolean): Promise<Map<number, number>> {
  const insertedAt = new Map<number, number>();
  const inserts: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; !until(); i++) {
    const wait = started + (i * 1000) / ratePerSecond - performance.now();
    if (wait > 0) await pause(wait);
    inserts.push((async () => {
      const [{ id }] = await sql<{ id: number }[]>`
        insert into notify.ent_notification
          (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients, channels)
        values (${namePrefix + phase + "-" + i}, ${B.id}, ${workflows.get(B.workflowKey)!},
          'PUBLISH', ${
        sql.json(benchPayload(B.workflowKey, i))
      }, array[gen_random_uuid()], '{EMAIL}')
        returning id`;
      insertedAt.set(Number(id), Date.now());
    })());
  }
  await Promise.all(inserts);
  return insertedAt;
}

async function latencies(insertedAt: Map<number, number>): Promise<number[]> {
  const values = await acceptanceLatencies(insertedAt, 300_000);
  if (values.length < insertedAt.size) throw new Error("B's notifications were not all delivered");
  return values;
}

const floodUnsent = async () =>
  (await sql<{ count: number }[]>`
    select count(*)::int as count from notify.ent_notification
     where name like ${namePrefix + "flood-%"} and notification_status <> 'SENT'`)[0].count;

try {
  const aloneEnd = performance.now() + secondsAlone * 1000;
  const alone = await latencies(await insertB("alone", () => performance.now() >= aloneEnd));

  const floodStarted = performance.now();
  await sql`
    insert into notify.ent_notification
      (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients, channels)
    select ${namePrefix + "flood-"} || i, ${A.id}::uuid, ${workflows.get(A.workflowKey)!}::bigint,
      'PUBLISH', ${sql.json(benchPayload(A.workflowKey, 0))}::jsonb, array[gen_random_uuid()],
      '{IN_APP}'
      from generate_series(1, ${floodRows}::int) as i`;
  let floodDone = false;
  let floodMs = 0;
  const watcher = (async () => {
    while ((await floodUnsent()) > 0) await pause(200);
    floodMs = performance.now() - floodStarted;
    floodDone = true;
  })();
  const duringInserts = await insertB("during", () => floodDone);
  const during = await latencies(duringInserts);
  const waits = await queueWaits(sql, [...duringInserts.keys()]);
  await watcher;

  const p99Alone = percentile(alone, 99);
  const p99During = percentile(during, 99);
  console.log(`A's flood:        ${floodRows} rows delivered in ${(floodMs / 1000).toFixed(1)} s`);
  console.log(
    `B alone:          ${alone.length} at ${ratePerSecond}/s, p50 ${percentile(alone, 50)} ms, ` +
      `p99 ${p99Alone} ms`,
  );
  console.log(
    `B during flood:   ${during.length} at ${ratePerSecond}/s, p50 ${percentile(during, 50)} ms, ` +
      `p99 ${p99During} ms, max ${Math.max(...during)} ms`,
  );
  console.log(
    `  of which in queue (insert → claimed): p50 ${percentile(waits, 50)} ms, ` +
      `p99 ${percentile(waits, 99)} ms`,
  );
  console.log(`ratio p99 during/alone: ${(p99During / p99Alone).toFixed(2)} (target ≤ 2)`);
} finally {
  await deleteBenchRows(sql, namePrefix);
  // Leave the emulator idle: held or trailing runs would weigh on whatever runs next.
  await emulatorIdle();
  await sql.end();
}
