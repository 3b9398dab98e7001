/**
 * Coalesces kicks into drains: at most one drain per process at a time; a kick during a
 * drain sets a flag so the drain goes round once more (no kick is lost); a drain stops at
 * its wall-time budget so it fits an edge function's limit, and when messages were put back
 * for a short while (retry backoff, a scheduled send soon due) a follow-up kick is timed for
 * when they become visible.
 */
export interface DrainRound {
  /** Processes until the queues are empty or `deadline` (epoch ms) passes. */
  (deadline: number): Promise<{ nextVisibleInSeconds: number | null }>;
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
  log: (message: string, context?: Record<string, unknown>) => void;
}

export interface Drainer {
  /** Starts a drain, or asks the running one to go round again; resolves when it ends. */
  kick(): Promise<void>;
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

  function scheduleFollowUp(inMs: number) {
    if (inMs > horizonMs) return;
    const second = Math.ceil((options.now() + inMs) / 1000);
    if (followUpSeconds.has(second)) return;
    followUpSeconds.add(second);
    options.setTimer(() => {
      followUpSeconds.delete(second);
      void kick();
    }, inMs);
  }

  async function drain() {
    const deadline = options.now() + maxDrainMs;
    do {
      again = false;
      try {
        const { nextVisibleInSeconds } = await options.round(deadline);
        if (nextVisibleInSeconds !== null) scheduleFollowUp(nextVisibleInSeconds * 1000);
      } catch (error) {
        // Messages a failed round had read reappear after their visibility timeout; the
        // others are visible now and should not wait for the next sweep once the cause
        // (say, a database restart) has passed.
        options.log("dispatcher drain failed", { error: String(error) });
        scheduleFollowUp(retryAfterFailureMs);
        return;
      }
    } while (again && options.now() < deadline);
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
