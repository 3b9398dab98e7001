/**
 * Coalesces kicks into drains: at most one drain per process at a time; a kick during a
 * drain sets a flag so the drain goes round once more (no kick is lost); a drain stops at
 * its wall-time budget and at its CPU budget so it fits an edge function's limits (hosted: 2 s
 * of CPU per request, https://supabase.com/docs/guides/functions/limits), and hands what is
 * left to a fresh drain: a kick of its own function through the gateway (`handOver`), which
 * starts it in a request of its own on the function's current worker. When
 * messages were put back for a short while (retry backoff, a scheduled send soon due) a
 * follow-up kick is timed for when they become visible.
 */
export interface DrainRound {
  /**
   * Processes until the queues are empty, `deadline` (epoch ms) passes, or `spent()` (the
   * drain's CPU budget) is true: no new batch starts then.
   */
  (deadline: number, spent?: () => boolean): Promise<{ nextVisibleInSeconds: number | null }>;
  /** Tells the running round that new work came (a kick): an idle loop looks now. */
  wake?: () => void;
}

export interface DrainerOptions {
  round: DrainRound;
  now: () => number;
  setTimer: (callback: () => void, ms: number) => void;
  /** Wall-time budget of one drain (default 50 s). */
  maxDrainMs?: number;
  /** Follow-up kicks are timed only this far ahead (default 60 s); pg_cron covers the rest. */
  followUpHorizonMs?: number;
  /** After a failed round (e.g. the database restarting), try again this soon (default 5 s). */
  retryAfterFailureMs?: number;
  /**
   * The process's CPU time (ms), or null where the runtime does not tell it (the hosted edge
   * runtime's `process.cpuUsage` is not implemented: supabase/edge-runtime
   * ext/node/polyfills/process.ts); the budget then counts budget checks instead.
   */
  readCpuMs?: () => number | null;
  /**
   * CPU budget of one drain (default 1000 ms: half the hosted 2 s per request, leaving room
   * for the batches running when it is spent and for the other lane's drain in the same
   * request).
   */
  maxDrainCpuMs?: number;
  /**
   * Without a CPU reading: budget checks per drain (each is a batch about to start, or an idle
   * loop looking again). Default DEFAULT_MAX_DRAIN_CHECKS, calibrated in docs/internals.md.
   */
  maxDrainChecks?: number;
  /**
   * Keeps the instance alive for a drain the drainer starts itself (a follow-up kick):
   * `EdgeRuntime.waitUntil` on hosted.
   */
  keepAlive?: (work: Promise<void>) => void;
  /**
   * Starts the fresh drain that goes on at once (a spent budget, a drain out of time) in a
   * request of its own, through the gateway (kick-handler.ts `gatewayKick`), instead of in
   * this process. The runtime retires a worker (at half its wall clock, or once it spent its
   * CPU: docs/internals.md) and sends new requests to a successor; a retired worker that kept
   * starting its own drains would never go, and drain beside its successor until the runtime
   * terminated it. Without it, or when it fails, the fresh drain runs in this process.
   */
  handOver?: () => Promise<void>;
  log: (message: string, context?: Record<string, unknown>) => void;
}

export interface Drainer {
  /** Starts a drain, or asks the running one to go round again; resolves when it ends. */
  kick(): Promise<void>;
}

/** Budget checks per drain where no CPU time can be read (see docs/internals.md). */
export const DEFAULT_MAX_DRAIN_CHECKS = 16;

/** The budget of one drain: spent once its CPU time, or without a reading its checks, run out. */
function drainBudget(options: DrainerOptions) {
  const maxCpuMs = options.maxDrainCpuMs ?? 1_000;
  const maxChecks = options.maxDrainChecks ?? DEFAULT_MAX_DRAIN_CHECKS;
  const startCpuMs = options.readCpuMs?.() ?? null;
  let checks = 0;
  let spentAlready = false;
  const cpuMs = () => {
    const now = startCpuMs === null ? null : options.readCpuMs?.() ?? null;
    return now === null ? null : now - startCpuMs!;
  };
  return {
    spent: () => {
      if (spentAlready) return true;
      checks += 1;
      const used = cpuMs();
      spentAlready = used === null ? checks > maxChecks : used >= maxCpuMs;
      return spentAlready;
    },
    get isSpent() {
      return spentAlready;
    },
    usage: () => ({ cpuMs: cpuMs(), checks }),
  };
}

export function createDrainer(options: DrainerOptions): Drainer {
  const maxDrainMs = options.maxDrainMs ?? 50_000;
  const horizonMs = options.followUpHorizonMs ?? 60_000;
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 5_000;
  let running: Promise<void> | null = null;
  let again = false;
  /**
   * Whole seconds (epoch) at which a follow-up kick is armed. An earlier pending kick does not
   * cover a later one: its round reads nothing that is still invisible and reports no delay,
   * so every distinct second gets its own timer (at most one per second of the horizon).
   */
  const followUpSeconds = new Set<number>();

  let handingOver = false;
  function handOverNow(handOver: () => Promise<void>) {
    if (handingOver) return;
    handingOver = true;
    const work = handOver().catch(async (error) => {
      options.log("handing over to a fresh request failed; this process goes on", {
        error: String(error),
      });
      // The drain that handed over may still be finishing: a kick now would only join it.
      await running;
      await kick();
    }).finally(() => {
      handingOver = false;
    });
    options.keepAlive?.(work);
  }

  function scheduleFollowUp(inMs: number) {
    if (inMs <= 0 && options.handOver) return handOverNow(options.handOver);
    if (inMs > horizonMs) return;
    const second = Math.ceil((options.now() + inMs) / 1000);
    if (followUpSeconds.has(second)) return;
    followUpSeconds.add(second);
    options.setTimer(() => {
      followUpSeconds.delete(second);
      const work = kick();
      options.keepAlive?.(work);
    }, inMs);
  }

  async function drain() {
    const deadline = options.now() + maxDrainMs;
    const budget = drainBudget(options);
    do {
      again = false;
      try {
        const { nextVisibleInSeconds } = await options.round(deadline, budget.spent);
        if (nextVisibleInSeconds !== null) scheduleFollowUp(nextVisibleInSeconds * 1000);
      } catch (error) {
        // Messages a failed round had read reappear after their visibility timeout; the
        // others are visible now and should not wait for the next sweep once the cause
        // (say, a database restart) has passed.
        options.log("dispatcher drain failed", { error: String(error) });
        scheduleFollowUp(retryAfterFailureMs);
        return;
      }
    } while (again && options.now() < deadline && !budget.isSpent);
    if (budget.isSpent) {
      // Work may be left: a fresh drain, with a budget of its own, goes on with it at once.
      options.log("drain used its CPU budget; a fresh drain goes on", budget.usage());
      scheduleFollowUp(0);
      return;
    }
    // Out of time with a kick still owed: hand it to a fresh drain instead of dropping it.
    if (again) scheduleFollowUp(0);
  }

  function kick(): Promise<void> {
    if (running) {
      again = true;
      options.round.wake?.();
      return running;
    }
    // Set before the drain starts: its first round may kick synchronously.
    const { promise, resolve } = Promise.withResolvers<void>();
    running = promise;
    void drain().finally(() => {
      running = null;
      resolve();
    });
    return promise;
  }

  return { kick };
}
