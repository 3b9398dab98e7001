/**
 * Cancellation latency under the race of issue 7 (finding 4): a backlog of notifications keeps
 * the dispatcher busy while every Novu call takes `novu_latency_ms`, and notifications that are
 * PROCESSING or SENT are cancelled one after another. Prints p50/p99 from each cancel's commit
 * to the Novu emulator's receipt of the cancel of its event (Novu can only cancel what is still
 * pending, so a slow cancel is a missed one).
 *
 *   ./dev bench cancel [cancels] [novu_latency_ms] [backlog]
 */
import {
  benchPayload,
  connect,
  deleteBenchRows,
  emulatorIdle,
  ENTERPRISES,
  NOVU_API_URL,
  NOVU_EXECUTION_MODE,
  percentile,
  resetEmulator,
  workflowIds,
} from "./support.ts";

const cancels = Number(Deno.args[0] ?? 50);
const novuLatencyMs = Number(Deno.args[1] ?? 300);
const backlog = Number(Deno.args[2] ?? 2_000);
const namePrefix = `bench-cancel-${Date.now()}-`;

async function setFaults(faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${NOVU_API_URL}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`emulator faults answered ${response.status}`);
}

/** Per transaction id the emulator ran: the earliest time (epoch ms) it received a cancel. */
async function eventsAtNovu(): Promise<Map<string, number | undefined>> {
  const response = await fetch(
    `${NOVU_API_URL}/_emulator/events?limit=100000&transactionIdPrefix=xnovu-`,
  );
  const { events } = await response.json() as {
    events: { transactionId: string; cancelRequestedAt?: number }[];
  };
  const received = new Map<string, number | undefined>();
  for (const event of events) {
    const earlier = received.get(event.transactionId);
    const at = event.cancelRequestedAt;
    received.set(
      event.transactionId,
      earlier === undefined ? at : Math.min(earlier, at ?? earlier),
    );
  }
  return received;
}

const sql = connect(4);
await resetEmulator();
console.log(NOVU_EXECUTION_MODE);
await setFaults({ latencyMs: novuLatencyMs });
const workflows = await workflowIds(sql);
try {
  const perEnterprise = Math.floor(backlog / ENTERPRISES.length);
  for (const enterprise of ENTERPRISES) {
    await sql`
      insert into notify.ent_notification
        (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients, channels)
      select ${namePrefix + enterprise.id + "-"} || i, ${enterprise.id},
             ${workflows.get(enterprise.workflowKey)!}, 'PUBLISH',
             ${sql.json(benchPayload(enterprise.workflowKey, 0))}, array[gen_random_uuid()],
             ${enterprise.workflowKey === "default-email" ? "{EMAIL}" : "{IN_APP}"}
        from generate_series(1, ${perEnterprise}) as i`;
  }

  const cancelledAt = new Map<number, number>();
  const statusAtCancel = { PROCESSING: 0, SENT: 0 };
  const deadline = Date.now() + 120_000;
  while (cancelledAt.size < cancels && Date.now() < deadline) {
    const [row] = await sql<{ id: number; status: "PROCESSING" | "SENT" }[]>`
      select id::int as id, notification_status::text as status from notify.ent_notification
       where name like ${namePrefix + "%"} and notification_status in ('PROCESSING', 'SENT')
         and not (id = any (${[...cancelledAt.keys()]}::bigint[]))
       order by random() limit 1`;
    if (row === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    await sql`select notify.cancel_notification(${row.id}, 'bench: cancel racing sends')`;
    cancelledAt.set(row.id, Date.now());
    statusAtCancel[row.status] += 1;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  // Let the backlog settle: every cancelled notification's events either reached Novu (and
  // must have been cancelled there) or never went out.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const settleBy = Date.now() + 180_000;
  while (Date.now() < settleBy) {
    const [{ open }] = await sql<{ open: number }[]>`
      select count(*)::int as open from notify.ent_notification
       where name like ${namePrefix + "%"} and notification_status in ('PENDING', 'PROCESSING')`;
    if (open === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  let latencies: number[] = [];
  let neverSent = 0;
  let missed = 0;
  const waitUntil = Date.now() + 30_000;
  while (Date.now() < waitUntil) {
    const atNovu = await eventsAtNovu();
    latencies = [];
    neverSent = 0;
    missed = 0;
    for (const [id, at] of cancelledAt) {
      const transactionId = `xnovu-${id}-0`;
      if (!atNovu.has(transactionId)) neverSent += 1;
      else if (atNovu.get(transactionId) === undefined) missed += 1;
      else latencies.push(Math.max(0, atNovu.get(transactionId)! - at));
    }
    if (missed === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  console.log(
    `cancels:   ${cancelledAt.size} (${statusAtCancel.PROCESSING} PROCESSING, ${statusAtCancel.SENT} SENT at cancel), ` +
      `backlog ${backlog}, every Novu call ${novuLatencyMs} ms`,
  );
  console.log(
    `outcome:   ${latencies.length} cancelled at Novu, ${neverSent} never sent (stopped before ` +
      `their trigger), ${missed} sent and never cancelled`,
  );
  console.log(
    `cancel → Novu cancel received: p50 ${percentile(latencies, 50)} ms, ` +
      `p99 ${percentile(latencies, 99)} ms, max ${Math.max(...latencies)} ms`,
  );
} finally {
  await setFaults({});
  await deleteBenchRows(sql, namePrefix);
  // Leave the emulator idle: held or trailing runs would weigh on whatever runs next.
  await emulatorIdle();
  await sql.end();
}
