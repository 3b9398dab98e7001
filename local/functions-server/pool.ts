/**
 * One function's workers, as the hosted edge runtime keeps them (limits.ts has the sources):
 * requests go to the active worker (started on first need, or at once by `warm`), proxied with
 * their bodies streamed through unchanged; `check` (called every SAMPLE_MS for every pool)
 * reads each worker's CPU time and memory from /proc and terminates a worker past a limit (its
 * requests answer 546), or retires it at half its wall clock: a fresh worker takes new requests,
 * and the retired one ends once its requests and waitUntil work are done.
 */
import { forEachLine, parseControl, readProcStat } from "./control.ts";
import {
  bootErrorResponse,
  type EdgeLimits,
  judgeWorker,
  type LimitReason,
  requestIdleTimeoutResponse,
  workerErrorResponse,
  workerLimitResponse,
} from "./limits.ts";

/** How often `check` should run: the most a worker runs past a limit before it is ended. */
export const SAMPLE_MS = 50;

/** Answers up to this size are read whole before they are passed on (see fetchFrom). */
const SMALL_BODY_BYTES = 65_536;

const HOP_BY_HOP = ["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"];

const workerUrl = new URL("./worker.ts", import.meta.url);
const encoder = new TextEncoder();

interface Worker {
  child: Deno.ChildProcess;
  /** Resolves with the port once the worker listens; rejects if it fails to boot. */
  ready: Promise<number>;
  readyAtMs: number;
  baselineMb: number;
  oldestOpenCpuMs: number | null;
  /** Requests proxied to it and not yet answered. */
  requests: Set<InFlight>;
  retired: boolean;
  /** The worker starting to take over from this retired one. */
  successor: Worker | null;
  /** Set before the server kills it at a limit. */
  terminated: LimitReason | null;
  exit: Promise<Deno.CommandStatus>;
  exited: boolean;
  unloading: boolean;
}

interface InFlight {
  startMs: number;
  controller: AbortController;
  timedOut: boolean;
}

export interface FunctionPool {
  fetch(request: Request): Promise<Response>;
  /** Starts the worker now rather than at the first request (the dispatcher's boot drain). */
  warm(): void;
  /** Applies the limits to every live worker. */
  check(): Promise<void>;
}

export function createFunctionPool(
  name: string,
  indexUrl: URL,
  limits: EdgeLimits | null,
): FunctionPool {
  const workers = new Set<Worker>();
  let active: Worker | null = null;
  const log = (message: string) => console.error(`[functions] ${name}: ${message}`);

  function spawn(): Worker {
    // The young generation is what V8 derives from the worker's heap cap: supabase/edge-runtime
    // creates each user worker with `CreateParams::heap_limits(0, memory_limit)`
    // (crates/base/src/runtime/mod.rs), and V8 sizes its semi-spaces from it (heap.cc
    // YoungGenerationSizeFromOldGenerationSize: old generation / 256 at this size), about 1 MB
    // for 256 MB. Larger ones left V8 an incremental mark of the whole heap running.
    const v8Flags = limits
      ? [
        `--v8-flags=--max-old-space-size=${limits.memoryMb},--max-semi-space-size=${
          Math.max(1, Math.round(limits.memoryMb / 256))
        }`,
      ]
      : [];
    const child = new Deno.Command(Deno.execPath(), {
      // The gateway set node_modules up already; "manual" skips the lock every process takes on it.
      args: [
        "run",
        "--allow-all",
        "--no-prompt",
        "--node-modules-dir=manual",
        ...v8Flags,
        workerUrl.href,
        name,
        indexUrl.href,
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const { promise: ready, resolve, reject } = Promise.withResolvers<number>();
    ready.catch(() => {});
    const worker: Worker = {
      child,
      ready,
      readyAtMs: 0,
      baselineMb: 0,
      oldestOpenCpuMs: null,
      requests: new Set(),
      retired: false,
      successor: null,
      terminated: null,
      exit: child.status,
      exited: false,
      unloading: false,
    };
    workers.add(worker);
    const stdout = Deno.stdout;
    void forEachLine(child.stdout, (line) => {
      const message = parseControl(line);
      if (message === null) {
        stdout.writeSync(encoder.encode(line + "\n"));
      } else if (message.kind === "ready") {
        worker.readyAtMs = Date.now();
        worker.baselineMb = message.baselineMb;
        resolve(message.port);
      } else if (message.kind === "oldest") {
        worker.oldestOpenCpuMs = message.cpuMs;
        if (message.cpuMs === null) dropIfDone(worker);
      } else {
        reject(new Error("boot error"));
      }
    }).catch(() => {});
    void child.status.then((status) => {
      worker.exited = true;
      workers.delete(worker);
      if (active === worker) active = worker.successor;
      reject(new Error(`exited with ${status.code}`));
      if (!worker.terminated && !worker.unloading) {
        log(`worker ${child.pid} exited (code ${status.code}, signal ${status.signal})`);
      }
    });
    return worker;
  }

  const current = () => {
    if (active === null || active.exited || active.terminated) active = spawn();
    return active;
  };

  /** A retired worker with nothing left to do is dropped, after `beforeunload` (early_drop). */
  function dropIfDone(worker: Worker) {
    if (!worker.retired || worker.unloading || worker.exited || active === worker) return;
    if (worker.requests.size > 0 || worker.oldestOpenCpuMs !== null) return;
    worker.unloading = true;
    const writer = worker.child.stdin.getWriter();
    writer.write(encoder.encode("unload early_drop\n")).catch(() => {});
    writer.releaseLock();
  }

  function terminate(worker: Worker, reason: LimitReason, detail: string) {
    worker.terminated = reason;
    if (active === worker) active = worker.successor;
    log(`worker ${worker.child.pid} terminated: ${detail}`);
    try {
      worker.child.kill("SIGKILL");
    } catch {
      // gone already
    }
  }

  /** Why a request to `worker` failed, once its process has had a moment to be seen ending. */
  async function failureAnswer(worker: Worker): Promise<Response> {
    await Promise.race([worker.exit, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    if (worker.terminated) return workerLimitResponse();
    if (worker.exited) {
      const status = await worker.exit;
      // V8 aborts the process when its heap limit (the memory limit) is reached.
      const outOfMemory = status.signal === "SIGTRAP" || status.signal === "SIGABRT" ||
        status.code === 133 || status.code === 134;
      return outOfMemory ? workerLimitResponse() : workerErrorResponse();
    }
    return workerErrorResponse();
  }

  async function fetchFrom(request: Request): Promise<Response> {
    const worker = current();
    let port: number;
    try {
      port = await worker.ready;
    } catch {
      if (worker.terminated) return workerLimitResponse();
      return bootErrorResponse();
    }
    const url = new URL(request.url);
    // One plain controller per request, aborted by `check` past the idle timeout (a timer and
    // AbortSignal.any per request cost more than the rest of the hop). A client that goes away
    // does not cancel the worker's request (it runs to its end, its answer dropped).
    const inFlight: InFlight = {
      startMs: Date.now(),
      controller: new AbortController(),
      timedOut: false,
    };
    worker.requests.add(inFlight);
    try {
      // The worker answers uncompressed; this server's own Deno.serve compresses for the client
      // as it accepts (as the single process did), so the hop adds no gzip round.
      const headers = new Headers(request.headers);
      headers.set("accept-encoding", "identity");
      // Hop-by-hop headers (RFC 9110 7.6.1) are the client's connection's, not the worker's.
      for (const name of HOP_BY_HOP) headers.delete(name);
      const response = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, {
        method: request.method,
        headers,
        body: request.body,
        redirect: "manual",
        signal: inFlight.controller.signal,
      });
      // A streamed body would go out chunked: a small one is passed on whole, with its
      // Content-Length, as the function sent it; a large or open-ended one streams through.
      const length = Number(response.headers.get("content-length") ?? Infinity);
      if (length > SMALL_BODY_BYTES) return response;
      return new Response(response.body === null ? null : await response.arrayBuffer(), response);
    } catch (error) {
      if (inFlight.timedOut) return requestIdleTimeoutResponse();
      const answer = await failureAnswer(worker);
      log(`request ${request.method} ${url.pathname} answered ${answer.status}: ${error}`);
      return answer;
    } finally {
      worker.requests.delete(inFlight);
      dropIfDone(worker);
    }
  }

  async function check() {
    if (!limits) return;
    const now = Date.now();
    await Promise.all([...workers].map(async (worker) => {
      for (const inFlight of worker.requests) {
        if (now - inFlight.startMs < limits.requestIdleTimeoutMs) continue;
        inFlight.timedOut = true;
        inFlight.controller.abort();
      }
      if (worker.readyAtMs === 0 || worker.exited || worker.terminated) return;
      const stat = await readProcStat(worker.child.pid);
      if (stat === null) return;
      const verdict = judgeWorker(limits, {
        nowMs: now,
        readyAtMs: worker.readyAtMs,
        cpuMs: stat.cpuMs,
        oldestOpenCpuMs: worker.oldestOpenCpuMs,
        rssMb: stat.rssMb,
        baselineMb: worker.baselineMb,
        retired: worker.retired,
      });
      if (verdict.action === "terminate") {
        terminate(worker, verdict.reason, verdict.detail);
      } else if (verdict.action === "retire") {
        worker.retired = true;
        log(`worker ${worker.child.pid} retired (half its wall clock)`);
        if (active !== worker) {
          dropIfDone(worker);
          return;
        }
        // A hosted worker boots from a bundle in milliseconds; a local one is a Deno process
        // that takes seconds to import its function. So the retired worker keeps taking new
        // requests until its successor is ready (it still ends at its wall clock), rather than
        // every request waiting for a boot that hosted does not have.
        const successor = worker.successor = spawn();
        successor.ready.then(() => {
          if (active === worker || active === null) active = successor;
          dropIfDone(worker);
        }, () => {});
      }
    }));
  }

  return {
    fetch: fetchFrom,
    warm: () => void current(),
    check,
  };
}
