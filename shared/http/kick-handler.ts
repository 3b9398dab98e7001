import process from "node:process";
import { jsonResponse } from "./errors.ts";
import { refuseUnlessKicked } from "./kick.ts";

export interface KickHandlerOptions {
  /** Starts (or joins) the function's background work; resolves when it ends. */
  kick: () => Promise<void>;
  /** Keeps the instance alive for background work (default `edgeRuntimeWaitUntil`). */
  waitUntil?: (work: Promise<void>) => void;
  /** The kick secret (shared/http/kick.ts). */
  kickSecret: string | undefined;
}

/**
 * Hosted Supabase keeps an instance alive for promises given to `EdgeRuntime.waitUntil`; the
 * local functions server has no such global and simply keeps running the promise.
 */
export function edgeRuntimeWaitUntil(work: Promise<unknown>): void {
  (globalThis as { EdgeRuntime?: { waitUntil(work: Promise<unknown>): void } }).EdgeRuntime
    ?.waitUntil(work);
}

/**
 * Reads this process's CPU time (ms) for a drain's CPU budget (drainer.ts), or undefined where
 * the runtime does not count it: the hosted edge runtime's `process.cpuUsage` is a stub
 * (supabase/edge-runtime ext/node/polyfills/process.ts, warnNotImplemented), which a first
 * reading of zero after the function's own boot work shows.
 */
export function processCpuReader(): (() => number) | undefined {
  const read = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  try {
    return read() > 0 ? read : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The entry of a worker the database kicks (pg_net after a change, the pg_cron sweep): only a
 * POST carrying the kick secret starts it; the work runs in the background and the answer is
 * 202 at once. `what` names the worker in refusals.
 */
export function createKickHandler(
  what: string,
  options: KickHandlerOptions,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const refusal = await refuseUnlessKicked(request, what, options.kickSecret);
    if (refusal) return refusal;
    (options.waitUntil ?? edgeRuntimeWaitUntil)(options.kick());
    return jsonResponse(202, { accepted: true });
  };
}

/**
 * Kicks `functionName` through the gateway, so the work runs in a request of its own on the
 * function's current worker: a retired worker's successor, or a fresh one. Undefined without
 * the kick secret or the project URL (nothing to send to). A function builds it once, for its
 * drainer's hand-over and for handOverAtUnload.
 */
export function gatewayKick(options: {
  functionName: string;
  kickSecret: string | undefined;
  supabaseUrl: string | undefined;
  fetch?: typeof fetch;
}): (() => Promise<void>) | undefined {
  const { kickSecret, supabaseUrl } = options;
  if (!kickSecret || !supabaseUrl) return undefined;
  const send = options.fetch ?? fetch;
  return async () => {
    const response = await send(`${supabaseUrl}/functions/v1/${options.functionName}`, {
      method: "POST",
      headers: { authorization: `Bearer ${kickSecret}` },
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the kick was answered ${response.status}`);
  };
}

/**
 * A worker the runtime shuts down takes its background work with it: timed follow-up kicks, a
 * drain under way. Hosted edge-runtime dispatches `beforeunload` first, with the shutdown reason
 * (`early_drop` once a retired worker is idle, or a wall-clock, CPU or memory limit:
 * https://supabase.com/docs/guides/functions/background-tasks, docs/internals.md). One kick of
 * its own function through the gateway (`kick`, from gatewayKick) hands that work to the next
 * worker.
 */
export function handOverAtUnload(options: {
  kick: (() => Promise<void>) | undefined;
  log: (message: string, context?: Record<string, unknown>) => void;
  /** Where `beforeunload` is dispatched (default: the worker's global scope). */
  target?: EventTarget;
  waitUntil?: (work: Promise<unknown>) => void;
}): void {
  const waitUntil = options.waitUntil ?? edgeRuntimeWaitUntil;
  const kick = options.kick;
  (options.target ?? globalThis).addEventListener("beforeunload", () => {
    if (kick === undefined) return;
    waitUntil(
      kick().catch((error) =>
        options.log("handing over at unload failed", { error: String(error) })
      ),
    );
  });
}
