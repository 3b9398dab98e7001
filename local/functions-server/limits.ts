/**
 * The hosted edge runtime's resource limits, as the local functions server enforces them on each
 * function's worker process (docs/internals.md, "Local edge runtime (emulated limits)").
 *
 * Sources:
 * - https://supabase.com/docs/guides/functions/limits: memory 256 MB; wall clock (how long a
 *   worker stays active, serving requests and background tasks) 150 s free / 400 s paid; CPU
 *   time 2 s per request; request idle timeout 150 s answered 504.
 * - https://supabase.com/docs/guides/troubleshooting/edge-function-546-error-response: a worker
 *   past a CPU or memory limit is terminated and its requests answer 546 with
 *   `{"code":"WORKER_LIMIT","message":"Function failed due to not having enough compute
 *   resources (please check logs)"}`.
 * - supabase/edge-runtime crates/base/src/worker/supervisor/strategy_per_worker.rs: at half the
 *   wall clock the worker retires (no new requests; a fresh worker takes them) and at the limit
 *   it is terminated (ShutdownReason::WallClockTime); a retired worker whose requests and
 *   waitUntil tasks are done is dropped early after a `beforeunload` event whose
 *   `detail.reason` is `early_drop` (crates/base/src/runtime/mod.rs WillTerminateReason,
 *   ext/runtime/js/bootstrap.js dispatchBeforeUnloadEvent).
 * - supabase/cli apps/cli-go/internal/functions/serve/templates/main.ts: 503 BOOT_ERROR,
 *   500 WORKER_ERROR, 546 WORKER_LIMIT, memoryLimitMb 256, CPU 1000 ms soft / 2000 ms hard.
 */

export interface EdgeLimits {
  /** CPU time a request may use, its waitUntil work included (ms). */
  cpuMsPerRequest: number;
  /** How long a worker lives (ms); it retires at half of it. */
  wallClockMs: number;
  /** Memory of a worker beyond what its runtime uses before any code runs (MB). */
  memoryMb: number;
  /** A request without a response by then answers 504 (ms). */
  requestIdleTimeoutMs: number;
}

/** Hosted values; the wall clock is the free plan's (the stricter one). */
export const HOSTED_LIMITS: EdgeLimits = {
  cpuMsPerRequest: 2_000,
  wallClockMs: 150_000,
  memoryMb: 256,
  requestIdleTimeoutMs: 150_000,
};

/** Per-function overrides in `XNOVU_EDGE_FUNCTION_LIMITS` (JSON), in these units. */
type Overrides = { cpuMs?: number; wallClockS?: number; memoryMb?: number; idleTimeoutS?: number };

const positive = (name: string, value: unknown): number => {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return number;
};

/**
 * The limits of `functionName` from the environment: `XNOVU_EDGE_LIMITS=off` turns them off
 * (null); `XNOVU_EDGE_CPU_MS`, `XNOVU_EDGE_WALL_CLOCK_S`, `XNOVU_EDGE_MEMORY_MB` and
 * `XNOVU_EDGE_IDLE_TIMEOUT_S` change them for every function; `XNOVU_EDGE_FUNCTION_LIMITS`
 * (`{"dispatcher": {"wallClockS": 400}}`) for one. Throws on a malformed value: a typo must not
 * quietly run without a limit.
 */
export function readEdgeLimits(
  env: (name: string) => string | undefined,
  functionName: string,
): EdgeLimits | null {
  if (env("XNOVU_EDGE_LIMITS") === "off") return null;
  const global = (name: string, fallback: number, scale: number) => {
    const raw = env(name);
    return raw === undefined || raw === "" ? fallback : positive(name, raw) * scale;
  };
  const limits: EdgeLimits = {
    cpuMsPerRequest: global("XNOVU_EDGE_CPU_MS", HOSTED_LIMITS.cpuMsPerRequest, 1),
    wallClockMs: global("XNOVU_EDGE_WALL_CLOCK_S", HOSTED_LIMITS.wallClockMs, 1000),
    memoryMb: global("XNOVU_EDGE_MEMORY_MB", HOSTED_LIMITS.memoryMb, 1),
    requestIdleTimeoutMs: global(
      "XNOVU_EDGE_IDLE_TIMEOUT_S",
      HOSTED_LIMITS.requestIdleTimeoutMs,
      1000,
    ),
  };
  const raw = env("XNOVU_EDGE_FUNCTION_LIMITS");
  if (!raw) return limits;
  const all = JSON.parse(raw) as Record<string, Overrides>;
  const own = all[functionName];
  if (own === undefined) return limits;
  const known = { cpuMs: 1, wallClockS: 1000, memoryMb: 1, idleTimeoutS: 1000 };
  for (const field of Object.keys(own)) {
    if (!(field in known)) {
      throw new Error(`XNOVU_EDGE_FUNCTION_LIMITS.${functionName}.${field} is not a limit`);
    }
  }
  // The override of `field` in this module's units (ms, MB), or `fallback`.
  const pick = (field: keyof Overrides, fallback: number) =>
    own[field] === undefined
      ? fallback
      : positive(`XNOVU_EDGE_FUNCTION_LIMITS.${functionName}.${field}`, own[field]) * known[field];
  return {
    cpuMsPerRequest: pick("cpuMs", limits.cpuMsPerRequest),
    wallClockMs: pick("wallClockS", limits.wallClockMs),
    memoryMb: pick("memoryMb", limits.memoryMb),
    requestIdleTimeoutMs: pick("idleTimeoutS", limits.requestIdleTimeoutMs),
  };
}

/** What the supervisor knows of one worker when it looks. */
export interface WorkerReading {
  /** Epoch ms now, and when the worker became ready. */
  nowMs: number;
  readyAtMs: number;
  /** The worker's CPU time now (ms), and the start of its oldest open activity (activities.ts). */
  cpuMs: number;
  oldestOpenCpuMs: number | null;
  /** Resident memory now, and what the runtime held before the function's code ran (MB). */
  rssMb: number;
  baselineMb: number;
  retired: boolean;
}

export type LimitReason = "cpu" | "memory" | "wall_clock";

export type Verdict =
  | { action: "none" }
  | { action: "retire"; reason: LimitReason }
  | { action: "terminate"; reason: LimitReason; detail: string };

/** The worker's fate under `limits`: terminated past a limit, retired at half its wall clock. */
export function judgeWorker(limits: EdgeLimits, reading: WorkerReading): Verdict {
  const terminate = (reason: LimitReason, detail: string): Verdict => ({
    action: "terminate",
    reason,
    detail,
  });
  const usedMb = reading.rssMb - reading.baselineMb;
  if (usedMb > limits.memoryMb) {
    return terminate(
      "memory",
      `Memory limit exceeded: ${Math.round(usedMb)} MB > ${limits.memoryMb} MB`,
    );
  }
  const charged = reading.oldestOpenCpuMs === null ? 0 : reading.cpuMs - reading.oldestOpenCpuMs;
  if (charged > limits.cpuMsPerRequest) {
    return terminate(
      "cpu",
      `CPU Time exceeded: ${Math.round(charged)} ms > ${limits.cpuMsPerRequest} ms`,
    );
  }
  const age = reading.nowMs - reading.readyAtMs;
  if (age >= limits.wallClockMs) {
    return terminate("wall_clock", `Wall clock limit reached: ${Math.round(age / 1000)} s`);
  }
  if (!reading.retired && age >= limits.wallClockMs / 2) {
    return { action: "retire", reason: "wall_clock" };
  }
  return { action: "none" };
}

const hostedError = (status: number, code: string, message: string) =>
  Response.json({ code, message }, { status });

/** What a request to a worker terminated at a limit answers (hosted 546). */
export const workerLimitResponse = () =>
  hostedError(
    546,
    "WORKER_LIMIT",
    "Function failed due to not having enough compute resources (please check logs)",
  );

/** What a request to a worker that died of an error answers (CLI's WORKER_ERROR). */
export const workerErrorResponse = () =>
  hostedError(500, "WORKER_ERROR", "Function exited due to an error (please check logs)");

/** What a request to a function that cannot start answers (CLI's BOOT_ERROR). */
export const bootErrorResponse = () =>
  hostedError(503, "BOOT_ERROR", "Worker failed to boot (please check logs)");

/**
 * The request idle timeout's answer (https://supabase.com/docs/guides/functions/limits: "504
 * Gateway Timeout will be returned"; the body is not documented, this one is the runtime's
 * `{msg}` shape of examples/main/index.ts in supabase/edge-runtime).
 */
export const requestIdleTimeoutResponse = () =>
  Response.json({ msg: "WorkerRequestIdleTimeout: request idle timeout" }, { status: 504 });
