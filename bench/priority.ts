/**
 * Priority: critical notifications (the seed's `critical` priority, `fire-emergency-alert`)
 * inserted one at a time while a flood of normal notifications (20,000 rows in one
 * statement, from both benchmark enterprises) is being delivered. Prints the critical
 * notifications' p50/p99 insert → Novu-accepted (target p99 ≤ 500 ms), and how far the
 * flood had got when the last one was accepted.
 *
 *   ./dev bench priority [flood_rows] [critical_count]
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
const criticalCount = Number(Deno.args[1] ?? 50);
const namePrefix = `bench-priority-${Date.now()}-`;

const sql = connect(8);
await resetEmulator();
console.log(NOVU_EXECUTION_MODE);
const workflows = await workflowIds(sql);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const [{ critical }] = await sql<{ critical: number }[]>`
  select id as critical from notify.typ_notification_priority where code = 'critical'`;
const [{ fire }] = await sql<{ fire: number }[]>`
  select id as fire from notify.ent_notification_workflow where workflow_key = 'fire-emergency-alert'`;

try {
  const perEnterprise = Math.floor(floodRows / ENTERPRISES.length);
  await Promise.all(ENTERPRISES.map((enterprise, e) =>
    sql`
      insert into notify.ent_notification
        (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients, channels)
      select ${namePrefix + "flood-" + e + "-"} || i, ${enterprise.id}::uuid,
        ${workflows.get(enterprise.workflowKey)!}::bigint, 'PUBLISH',
        ${sql.json(benchPayload(enterprise.workflowKey, 0))}::jsonb, array[gen_random_uuid()],
        ${
      enterprise.workflowKey === "default-email" ? "{EMAIL}" : "{IN_APP}"
    }::shared_types.notification_channel_type[]
        from generate_series(1, ${perEnterprise}::int) as i`
  ));
  const insertedAt = new Map<number, number>();
  // Spread over the first seconds of the flood, alternating enterprises.
  for (let i = 0; i < criticalCount; i++) {
    const enterprise = ENTERPRISES[i % ENTERPRISES.length];
    const [{ id }] = await sql<{ id: number }[]>`
      insert into notify.ent_notification
        (name, enterprise_id, notification_workflow_id, notification_priority_id, publish_status,
         payload, recipients, channels)
      values (${namePrefix + "critical-" + i}, ${enterprise.id}, ${fire}, ${critical}, 'PUBLISH',
        ${
      sql.json({ building: "Tower A", floor: i, severity: "CRITICAL", instructions: "Evacuate" })
    }, array[gen_random_uuid()], '{SMS}')
      returning id`;
    insertedAt.set(Number(id), Date.now());
    await pause(100);
  }
  const latencies = await acceptanceLatencies(insertedAt);
  const [{ unsent }] = await sql<{ unsent: number }[]>`
    select count(*)::int as unsent from notify.ent_notification
     where name like ${namePrefix + "flood-%"} and notification_status <> 'SENT'`;
  console.log(
    `flood:     ${floodRows} normal notifications from ${ENTERPRISES.length} enterprises`,
  );
  console.log(`critical:  ${latencies.length} of ${criticalCount} accepted, one every 100 ms`);
  console.log(
    `critical insert → emulator acceptance: p50 ${percentile(latencies, 50)} ms, ` +
      `p99 ${percentile(latencies, 99)} ms, max ${Math.max(...latencies)} ms (target p99 ≤ 500)`,
  );
  const waits = await queueWaits(sql, [...insertedAt.keys()]);
  console.log(
    `  of which in queue (insert → claimed): p50 ${percentile(waits, 50)} ms, ` +
      `p99 ${percentile(waits, 99)} ms`,
  );
  console.log(`flood still unsent when the last critical was accepted: ${unsent}`);
  while (
    (await sql`select from notify.ent_notification where name like ${namePrefix + "flood-%"}
                and notification_status <> 'SENT' limit 1`).length > 0
  ) await pause(500);
} finally {
  await deleteBenchRows(sql, namePrefix);
  // Leave the emulator idle: held or trailing runs would weigh on whatever runs next.
  await emulatorIdle();
  await sql.end();
}
