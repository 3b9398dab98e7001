/** What the delivery benchmarks share: the platform's addresses, percentiles, process memory. */
import postgres from "postgres";

export const DATABASE_URL = Deno.env.get("DATABASE_URL") ??
  "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
export const NOVU_API_URL = Deno.env.get("NOVU_API_URL") ?? "http://127.0.0.1:54329";
export const ENTERPRISES = [
  { id: "11111111-1111-4111-8111-111111111111", workflowKey: "building-maintenance" },
  { id: "22222222-2222-4222-8222-222222222222", workflowKey: "default-email" },
] as const;

/** The benchmark's own connections, named so bench/cpu.ts counts their backends apart. */
export const connect = (max = 4) =>
  postgres(DATABASE_URL, {
    prepare: false,
    max,
    onnotice: () => {},
    connection: { application_name: "xnovu-bench" },
  });

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Resident and peak resident memory (MB) of the local functions server. */
/**
 * Memory of the functions server: the gateway and its worker processes (one or two per
 * function, local/functions-server/pool.ts), summed; the peak sums each live process's own.
 */
export async function functionsServerMemoryMb(): Promise<{ rssMb: number; peakMb: number }> {
  const pid = (await Deno.readTextFile(new URL("../.local/run/functions.pid", import.meta.url)))
    .trim();
  const children = await Deno.readTextFile(`/proc/${pid}/task/${pid}/children`).catch(() => "");
  let rssMb = 0;
  let peakMb = 0;
  for (const each of [pid, ...children.split(" ").filter(Boolean)]) {
    const status = await Deno.readTextFile(`/proc/${each}/status`).catch(() => "");
    const kb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0);
    rssMb += kb("VmRSS") / 1024;
    peakMb += kb("VmHWM") / 1024;
  }
  return { rssMb, peakMb };
}

/**
 * `XNOVU_BENCH_NOVU_EXECUTION=deferred`: the emulator accepts triggers as always but holds the
 * workflow runs that follow (bridge steps, message webhooks) until the measured window ends.
 * On the hosted stack that work runs on Novu Cloud's workers and on edge function instances of
 * their own; on this machine it shares the two cores with the dispatcher and PostgreSQL. The
 * default (unset) runs it at once, everything on the same cores.
 */
export const NOVU_EXECUTION_DEFERRED = Deno.env.get("XNOVU_BENCH_NOVU_EXECUTION") === "deferred";

/** The mode line each delivery bench prints first. */
export const NOVU_EXECUTION_MODE = NOVU_EXECUTION_DEFERRED
  ? "Novu's workflow runs deferred until the measured window ends (XNOVU_BENCH_NOVU_EXECUTION=deferred)"
  : "Novu's workflow runs at once, on the same cores";

async function setNovuExecutionPaused(paused: boolean): Promise<void> {
  const response = await fetch(`${NOVU_API_URL}/_emulator/execution`, {
    method: "POST",
    body: JSON.stringify({ paused }),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`emulator execution answered ${response.status}`);
}

/** Clears the emulator's events and faults, and holds its workflow runs in the deferred mode. */
export async function resetEmulator(): Promise<void> {
  const response = await fetch(`${NOVU_API_URL}/_emulator/reset`, { method: "POST" });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`emulator reset answered ${response.status}`);
  await setNovuExecutionPaused(NOVU_EXECUTION_DEFERRED);
}

/** The end of the measured window: the emulator runs what it holds (a no-op when not deferred). */
async function releaseNovuExecution(): Promise<void> {
  if (NOVU_EXECUTION_DEFERRED) await setNovuExecutionPaused(false);
}

/**
 * Waits until the emulator has run every accepted event's steps on the bridge and delivered
 * their message webhooks (or `timeoutMs` passed); returns whether it got there. Novu does that
 * work after accepting a trigger, so a run's CPU cost is complete only then. Releases held runs first.
 */
export async function emulatorIdle(timeoutMs = 300_000): Promise<boolean> {
  await releaseNovuExecution();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${NOVU_API_URL}/_emulator/events?limit=1`);
    const { counters } = await response.json() as {
      counters: { pendingWork: number; pendingWebhooks: number };
    };
    if (counters.pendingWork === 0 && counters.pendingWebhooks === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** The emulator's acceptance time (epoch ms) of each transaction id it received. */
export async function emulatorAcceptance(): Promise<Map<string, number>> {
  const response = await fetch(`${NOVU_API_URL}/_emulator/events?limit=100000`);
  const { events } = await response.json() as {
    events: { transactionId: string; acceptedAt: number }[];
  };
  return new Map(events.map((event) => [event.transactionId, event.acceptedAt]));
}

/**
 * Milliseconds from each insert (notification id → epoch ms) to the emulator's acceptance of
 * its first trigger, once every one was accepted (or what there is at `timeoutMs`).
 */
export async function acceptanceLatencies(
  insertedAt: Map<number, number>,
  timeoutMs = 120_000,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let latencies: number[] = [];
  while (Date.now() < deadline) {
    const accepted = await emulatorAcceptance();
    latencies = [...insertedAt].flatMap(([id, at]) => {
      const acceptedAt = accepted.get(`xnovu-${id}-0`);
      return acceptedAt === undefined ? [] : [acceptedAt - at];
    });
    if (latencies.length === insertedAt.size) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return latencies;
}

/** Workflow ids of the benchmark's enterprises, by key. */
export async function workflowIds(sql: postgres.Sql): Promise<Map<string, number>> {
  const rows = await sql<{ workflow_key: string; id: number }[]>`
    select workflow_key, id from notify.ent_notification_workflow
    where workflow_key in ${sql(ENTERPRISES.map((e) => e.workflowKey))}`;
  return new Map(rows.map((row) => [row.workflow_key, Number(row.id)]));
}

/** Payloads valid for the benchmark's workflows. */
export const benchPayload = (workflowKey: string, i: number) =>
  workflowKey === "default-email"
    ? { subject: `Benchmark ${i}`, body: `Benchmark notification ${i}` }
    : { title: `Benchmark ${i}`, date: "2026-12-01", buildingName: "Tower A" };

export async function deleteBenchRows(sql: postgres.Sql, namePrefix: string): Promise<void> {
  await sql`delete from notify.ent_notification where name like ${namePrefix + "%"}`;
}

/** Runs `work` with a `notify_internal.local_setting` set, then puts back what was there. */
export async function withLocalSetting<T>(
  sql: postgres.Sql,
  name: string,
  value: string,
  work: () => Promise<T>,
): Promise<T> {
  const before = await sql<{ value: string }[]>`
    select value from notify_internal.local_setting where name = ${name}`;
  await sql`insert into notify_internal.local_setting (name, value) values (${name}, ${value})
            on conflict (name) do update set value = excluded.value`;
  try {
    return await work();
  } finally {
    if (before.length === 0) {
      await sql`delete from notify_internal.local_setting where name = ${name}`;
    } else {
      await sql`update notify_internal.local_setting set value = ${before[0].value}
                 where name = ${name}`;
    }
  }
}

/** Insert → first claim (PENDING → PROCESSING), by the database's clock: the time in queue. */
export async function queueWaits(sql: postgres.Sql, ids: number[]): Promise<number[]> {
  const rows = await sql<{ ms: number }[]>`
    select extract(epoch from min(h.changed_at) - n.created_at) * 1000 as ms
      from notify.ent_notification n
      join notify.notification_status_history h
        on h.notification_id = n.id and h.to_status = 'PROCESSING'
     where n.id = any (${ids}::bigint[])
     group by n.id, n.created_at`;
  return rows.map((row) => Math.round(Number(row.ms)));
}
