// Cost of the enqueue trigger on a bulk insert: 10,000 published notifications
// in one statement, with and without the trigger, each run in a transaction
// that is rolled back. Prints the median of each and their ratio (target ≤ 1.3).
//
//   DATABASE_URL=postgresql://... deno run --allow-env --allow-net bench/enqueue.ts
import postgres from "postgres";

const databaseUrl = Deno.env.get("DATABASE_URL") ??
  "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
const rowCount = 10_000;
const runsPerVariant = 21;
const enterpriseId = "11111111-1111-4111-8111-111111111111";

const sql = postgres(databaseUrl, { prepare: false, max: 1, onnotice: () => {} });

async function timeBulkInsert(withTrigger: boolean, run: number): Promise<number> {
  // Every run is rolled back; vacuum its dead rows first so each starts from the same tables.
  const lanes = await sql<{ queue_name: string }[]>`
    select queue_name from notify_internal.dispatch_lane where enterprise_id = ${enterpriseId}::uuid`;
  await sql.unsafe(
    `vacuum notify.ent_notification, pgmq.q_notification_dispatch${
      lanes.map((lane) => `, pgmq."q_${lane.queue_name}"`).join("")
    }`,
  );
  let elapsedMs = 0;
  await sql.begin(async (tx) => {
    if (!withTrigger) {
      await tx`alter table notify.ent_notification disable trigger enqueue_inserted_notifications`;
    }
    const started = performance.now();
    await tx`
      insert into notify.ent_notification
        (name, enterprise_id, publish_status, payload, recipients)
      select
        'bench-' || ${run}::int || '-' || i, ${enterpriseId}::uuid, 'PUBLISH',
        jsonb_build_object('i', i), array[gen_random_uuid()]
      from generate_series(1, ${rowCount}::int) as i`;
    elapsedMs = performance.now() - started;
    // Due rows go to the enterprise's lane when it exists, else to the intake.
    const queues = [
      "notification_dispatch",
      ...(await tx<{ queue_name: string }[]>`
      select queue_name from notify_internal.dispatch_lane
       where enterprise_id = ${enterpriseId}::uuid`).map((lane) => lane.queue_name),
    ];
    const [{ queued }] = await tx.unsafe<{ queued: number }[]>(
      `select (${
        queues.map((queue) => `(select count(*) from pgmq."q_${queue}")`).join(" + ")
      })::int as queued`,
    );
    if (withTrigger && queued < rowCount) {
      throw new Error(`expected ${rowCount} queued messages, found ${queued}`);
    }
    throw new RollbackSignal();
  }).catch((error) => {
    if (!(error instanceof RollbackSignal)) throw error;
  });
  return elapsedMs;
}

class RollbackSignal extends Error {}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const withoutTrigger: number[] = [];
const withTrigger: number[] = [];
// One warm-up of each, then interleaved runs so drift affects both alike.
await timeBulkInsert(false, 0);
await timeBulkInsert(true, 0);
for (let run = 1; run <= runsPerVariant; run++) {
  withoutTrigger.push(await timeBulkInsert(false, run));
  withTrigger.push(await timeBulkInsert(true, run));
}
await sql.end();

const baseMs = median(withoutTrigger);
const triggerMs = median(withTrigger);
console.log(`bulk insert of ${rowCount} rows, median of ${runsPerVariant} runs`);
console.log(`without enqueue trigger: ${baseMs.toFixed(1)} ms`);
console.log(`with enqueue trigger:    ${triggerMs.toFixed(1)} ms`);
console.log(`ratio: ${(triggerMs / baseMs).toFixed(3)} (target <= 1.3)`);
