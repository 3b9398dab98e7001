/**
 * End-to-end throughput: 20,000 notifications inserted in bulk (one statement per
 * enterprise, two enterprises) and delivered through the dispatcher to the Novu emulator,
 * which answers at once. Runs twice back to back, first with `dispatch_fair_lanes = off`
 * (first in, first out from the intake, as before lanes) then with fair, prioritised lanes,
 * and prints notifications/s from the first insert to the last SENT for each, their ratio,
 * the functions server's peak memory, and the CPU each process spent per notification from
 * the insert until Novu's work after the trigger (bridge steps, webhooks) is done (bench/cpu.ts).
 *
 *   ./dev bench throughput [count] [modes]   (modes: "off,on" by default; "on" for one run)
 */
import { cpuSnapshot, printCpuPerNotification } from "./cpu.ts";
import {
  benchPayload,
  connect,
  deleteBenchRows,
  emulatorIdle,
  ENTERPRISES,
  functionsServerMemoryMb,
  NOVU_EXECUTION_DEFERRED,
  NOVU_EXECUTION_MODE,
  resetEmulator,
  withLocalSetting,
  workflowIds,
} from "./support.ts";

const total = Number(Deno.args[0] ?? 20_000);
const modes = (Deno.args[1] ?? "off,on").split(",");
const perEnterprise = Math.floor(total / ENTERPRISES.length);
const deadlineMs = 10 * 60_000;

const sql = connect();
const workflows = await workflowIds(sql);

let peakRssMb = 0;
const sampler = setInterval(async () => {
  peakRssMb = Math.max(peakRssMb, (await functionsServerMemoryMb()).rssMb);
}, 200);

async function run(label: string): Promise<number> {
  const namePrefix = `bench-throughput-${Date.now()}-`;
  await resetEmulator();
  await sql`vacuum notify.ent_notification`;
  try {
    const cpuBefore = await cpuSnapshot(sql);
    const started = performance.now();
    const inserted = await Promise.all(
      ENTERPRISES.map((enterprise, e) =>
        sql<{ lo: string; hi: string }[]>`
        with inserted as (
        insert into notify.ent_notification
          (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients, channels)
        select ${namePrefix + e + "-"} || i, ${enterprise.id}::uuid,
          ${workflows.get(enterprise.workflowKey)!}::bigint, 'PUBLISH',
          ${sql.json(benchPayload(enterprise.workflowKey, 0))}::jsonb,
          array[gen_random_uuid()],
          ${
          enterprise.workflowKey === "default-email" ? "{EMAIL}" : "{IN_APP}"
        }::shared_types.notification_channel_type[]
        from generate_series(1, ${perEnterprise}::int) as i
        returning id)
        select min(id)::text as lo, max(id)::text as hi from inserted`
      ),
    );
    const insertedMs = performance.now() - started;
    // The run's rows by id range (the primary key), not by name: a LIKE on name scans the
    // whole table, which with the scale bench's million rows would compete with the dispatch.
    const lo = inserted.map(([range]) => BigInt(range.lo)).reduce((a, b) => a < b ? a : b);
    const hi = inserted.map(([range]) => BigInt(range.hi)).reduce((a, b) => a > b ? a : b);
    const ours = sql`id between ${String(lo)}::bigint and ${String(hi)}::bigint
      and name like ${namePrefix + "%"}`;

    let done = { sent: 0, failed: 0 };
    while (performance.now() - started < deadlineMs) {
      [done] = await sql<{ sent: number; failed: number }[]>`
        select count(*) filter (where notification_status = 'SENT')::int as sent,
          count(*) filter (where notification_status = 'FAILED')::int as failed
        from notify.ent_notification where ${ours}`;
      if (done.sent + done.failed >= perEnterprise * ENTERPRISES.length) break;
      // Not faster: the count competes with the dispatch for the same two cores.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const sentAt = performance.now();
    const cpuAtLastSent = NOVU_EXECUTION_DEFERRED ? await cpuSnapshot(sql) : null;
    const novuDone = await emulatorIdle();
    const novuDoneS = (performance.now() - sentAt) / 1000;
    const cpuAfter = await cpuSnapshot(sql);
    const [{ span_s }] = await sql<{ span_s: number }[]>`
      select extract(epoch from max(processed_at) - min(created_at))::float8 as span_s
      from notify.ent_notification where ${ours}`;
    const count = perEnterprise * ENTERPRISES.length;
    const memory = await functionsServerMemoryMb();
    const throughput = done.sent / span_s;
    console.log(`${label}:`);
    console.log(`  notifications:          ${count} (${done.sent} SENT, ${done.failed} FAILED)`);
    console.log(`  bulk insert:            ${insertedMs.toFixed(0)} ms`);
    console.log(`  first insert→last SENT: ${span_s.toFixed(2)} s`);
    console.log(`  throughput:             ${throughput.toFixed(0)} notifications/s`);
    console.log(
      `  functions server RSS:   peak sampled ${
        Math.max(peakRssMb, memory.rssMb).toFixed(0)
      } MB, ` +
        `VmHWM since start ${memory.peakMb.toFixed(0)} MB`,
    );
    console.log(
      `  Novu's work after last SENT: ${
        novuDone ? `${novuDoneS.toFixed(1)} s` : "unfinished after 5 min"
      } (bridge step executions, message webhooks)`,
    );
    if (cpuAtLastSent) {
      printCpuPerNotification(cpuBefore, cpuAtLastSent, done.sent, "insert → last SENT, ");
    }
    printCpuPerNotification(cpuBefore, cpuAfter, done.sent);
    return throughput;
  } finally {
    await deleteBenchRows(sql, namePrefix);
  }
}

console.log(NOVU_EXECUTION_MODE);
try {
  const before = modes.includes("off")
    ? await withLocalSetting(
      sql,
      "dispatch_fair_lanes",
      "off",
      () => run("before (dispatch_fair_lanes = off: first in, first out)"),
    )
    : null;
  const after = modes.includes("on") ? await run("after (fair, prioritised lanes)") : null;
  if (before !== null && after !== null) {
    console.log(`throughput ratio after/before: ${(after / before).toFixed(2)}`);
  }
} finally {
  clearInterval(sampler);
  await sql.end();
}
