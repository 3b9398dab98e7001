/**
 * CPU cost per notification of each process of the platform: utime + stime from /proc before
 * and after a benchmark run, divided by the notifications it delivered. On this shared 2-core
 * machine wall-clock throughput moves with whatever else runs; the CPU a notification costs each
 * process does not, so this is the number to compare between changes.
 *
 * PostgreSQL's backends are grouped by `application_name` (or `backend_type`) from
 * pg_stat_activity; a backend that exited during the run is counted through the postmaster's
 * cutime/cstime (the CPU of the children it reaped), as "exited backends".
 */
import type postgres from "postgres";

const RUN_DIR = new URL("../.local/run/", import.meta.url);
/** The platform's own processes, by their pid file in .local/run (local/lib/services.sh). */
const SERVICES = {
  functions: "functions server",
  "novu-emulator": "Novu emulator",
  "pg-net-worker": "pg_net worker",
} as const;
const EXITED = "postgres: exited backends";
/** Worker processes of the functions server that ended during the run (its reaped children). */
const ENDED_WORKERS = "functions: ended workers";

/** USER_HZ: /proc times are in clock ticks of 10 ms on Linux (sysconf(_SC_CLK_TCK) = 100). */
const TICK_MS = 10;

interface ProcTimes {
  ppid: number;
  /** utime + stime, ms. */
  own: number;
  /** cutime + cstime (reaped children), ms. */
  children: number;
}

async function procTimes(pid: number): Promise<ProcTimes | null> {
  let stat: string;
  try {
    stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces and parentheses): state is field 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const field = (n: number) => Number(fields[n - 3]);
  return {
    ppid: field(4),
    own: (field(14) + field(15)) * TICK_MS,
    children: (field(16) + field(17)) * TICK_MS,
  };
}

export interface CpuSnapshot {
  at: number;
  /** pid → [group, CPU ms] for every process measured. */
  processes: Map<number, [string, number]>;
  postmaster: number;
  postmasterChildrenMs: number;
  /** The functions server's reaped children (workers that ended), ms. */
  functionsChildrenMs: number;
  /** Busy ms of the whole machine (every core), from /proc/stat. */
  machineBusyMs: number;
}

async function machineBusyMs(): Promise<number> {
  const [cpu] = (await Deno.readTextFile("/proc/stat")).split("\n");
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = cpu.split(/\s+/).slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) * TICK_MS;
}

/** CPU ms used so far by the platform's services and by each PostgreSQL process. */
export async function cpuSnapshot(sql: postgres.Sql): Promise<CpuSnapshot> {
  const processes = new Map<number, [string, number]>();
  let functionsChildrenMs = 0;
  for (const [file, label] of Object.entries(SERVICES)) {
    const pid = Number(
      (await Deno.readTextFile(new URL(`${file}.pid`, RUN_DIR)).catch(() => "")).trim(),
    );
    const times = pid ? await procTimes(pid) : null;
    if (times) processes.set(pid, [label, times.own]);
    if (times && file === "functions") {
      functionsChildrenMs = times.children;
      // One worker process per function (local/functions-server/pool.ts): `worker.ts <name> ...`.
      const children = await Deno.readTextFile(`/proc/${pid}/task/${pid}/children`)
        .catch(() => "");
      for (const child of children.split(" ").filter(Boolean).map(Number)) {
        const args = (await Deno.readTextFile(`/proc/${child}/cmdline`).catch(() => ""))
          .split("\0");
        const name = args[args.findIndex((arg) => arg.endsWith("worker.ts")) + 1] ?? "worker";
        const own = (await procTimes(child))?.own;
        if (own !== undefined) processes.set(child, [`functions: ${name}`, own]);
      }
    }
  }
  const backends = await sql<{ pid: number; label: string; own: boolean }[]>`
    select pid, coalesce(nullif(application_name, ''), backend_type) as label,
      pid = pg_backend_pid() as own from pg_stat_activity`;
  const backendLabels = new Map(backends.map((row) => [row.pid, row.label]));
  // This connection's backend is a child of the postmaster.
  const postmaster = (await procTimes(backends.find((row) => row.own)!.pid))!.ppid;
  const master = (await procTimes(postmaster))!;
  for await (const entry of Deno.readDir("/proc")) {
    const pid = Number(entry.name);
    if (!Number.isInteger(pid)) continue;
    const times = await procTimes(pid);
    if (times?.ppid !== postmaster) continue;
    processes.set(pid, [`postgres: ${backendLabels.get(pid) ?? "other"}`, times.own]);
  }
  processes.set(postmaster, ["postgres: postmaster", master.own]);
  return {
    at: performance.now(),
    processes,
    postmaster,
    postmasterChildrenMs: master.children,
    functionsChildrenMs,
    machineBusyMs: await machineBusyMs(),
  };
}

/** CPU ms per group between two snapshots. */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Map<string, number> {
  const groups = new Map<string, number>();
  const add = (group: string, ms: number) => groups.set(group, (groups.get(group) ?? 0) + ms);
  add(EXITED, after.postmasterChildrenMs - before.postmasterChildrenMs);
  add(ENDED_WORKERS, after.functionsChildrenMs - before.functionsChildrenMs);
  for (const [pid, [group, ms]] of after.processes) {
    add(group, ms - (before.processes.get(pid)?.[1] ?? 0));
  }
  // An exited process's time before the run is in its parent's children time now.
  for (const [pid, [group, ms]] of before.processes) {
    if (!after.processes.has(pid)) {
      add(group.startsWith("functions: ") ? ENDED_WORKERS : EXITED, -ms);
    }
  }
  return groups;
}

/** Prints CPU ms per notification of each process group, largest first, and the totals. */
export function printCpuPerNotification(
  before: CpuSnapshot,
  after: CpuSnapshot,
  notifications: number,
  indent = "  ",
): void {
  const groups = [...cpuDelta(before, after)].filter(([, ms]) => ms > 0)
    .sort(([, a], [, b]) => b - a);
  const total = groups.reduce((sum, [, ms]) => sum + ms, 0);
  const postgresTotal = groups.filter(([group]) => group.startsWith("postgres"))
    .reduce((sum, [, ms]) => sum + ms, 0);
  const wallMs = after.at - before.at;
  const perNotification = (ms: number) => (ms / notifications).toFixed(3).padStart(7);
  console.log(`${indent}CPU ms per notification (${notifications} notifications, /proc):`);
  for (const [group, ms] of groups) {
    console.log(`${indent}  ${group.padEnd(40)} ${perNotification(ms)}`);
  }
  console.log(
    `${indent}  ${"postgres, all processes".padEnd(40)} ${perNotification(postgresTotal)}`,
  );
  console.log(`${indent}  ${"platform total".padEnd(40)} ${perNotification(total)}`);
  console.log(
    `${indent}  platform used ${(total / wallMs).toFixed(2)} cores over ${
      (wallMs / 1000).toFixed(1)
    } s; the whole machine ${((after.machineBusyMs - before.machineBusyMs) / wallMs).toFixed(2)} ` +
      `(the rest is other work on the machine)`,
  );
}
