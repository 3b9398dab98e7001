/**
 * Latency at a steady rate: single-row inserts at 100/s for 60 s (each its own statement
 * and transaction, as a platform would write them), then p50/p99 from each row's insert
 * to the Novu emulator's acceptance of its trigger.
 *
 *   ./dev bench latency [rate_per_s] [seconds]
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
  resetEmulator,
  workflowIds,
} from "./support.ts";

const ratePerSecond = Number(Deno.args[0] ?? 100);
const seconds = Number(Deno.args[1] ?? 60);
const total = ratePerSecond * seconds;
const namePrefix = `bench-latency-${Date.now()}-`;

const sql = connect(8);
await resetEmulator();
console.log(NOVU_EXECUTION_MODE);
const workflows = await workflowIds(sql);
const insertedAt = new Map<number, number>();
const inserts: Promise<void>[] = [];

const started = performance.now();
for (let i = 0; i < total; i++) {
  // Paced against the schedule, not the previous insert, so slow inserts do not lower the rate.
  const due = started + (i * 1000) / ratePerSecond;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const enterprise = ENTERPRISES[i % ENTERPRISES.length];
  inserts.push((async () => {
    const [{ id }] = await sql<{ id: number }[]>`
      insert into notify.ent_notification
        (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients, channels)
      values (${namePrefix + i}, ${enterprise.id}, ${workflows.get(enterprise.workflowKey)!},
        'PUBLISH', ${sql.json(benchPayload(enterprise.workflowKey, i))}, array[gen_random_uuid()],
        ${enterprise.workflowKey === "default-email" ? "{EMAIL}" : "{IN_APP}"})
      returning id`;
    insertedAt.set(Number(id), Date.now());
  })());
}
await Promise.all(inserts);
const achievedRate = total / ((performance.now() - started) / 1000);

const latencies = await acceptanceLatencies(insertedAt);
await deleteBenchRows(sql, namePrefix);
// Leave the emulator idle: held or trailing runs would weigh on whatever runs next.
await emulatorIdle();
await sql.end();

console.log(`inserts:   ${total} at ${achievedRate.toFixed(1)}/s (target ${ratePerSecond}/s)`);
console.log(`delivered: ${latencies.length} of ${total} accepted by the emulator`);
console.log(
  `insert → emulator acceptance: p50 ${percentile(latencies, 50)} ms, ` +
    `p99 ${percentile(latencies, 99)} ms, max ${Math.max(...latencies)} ms`,
);
