import type { DrainRound } from "./drainer.ts";
import { processCancellationBatch } from "./cancellation.ts";
import type { BatchResult, DispatchDependencies } from "./dependencies.ts";
import { processDispatchBatch } from "./dispatch.ts";
import type { DispatchSettings } from "./settings.ts";

export interface RoundOptions {
  dependencies: DispatchDependencies;
  loadSettings: () => Promise<DispatchSettings>;
  /** Batch loops running side by side (pgmq's read skips messages another loop holds). */
  workers: number;
}

function soonest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/**
 * One drain round: settings read once, then `workers` loops each taking cancellation and
 * dispatch batches until both queues have nothing visible or the deadline passes.
 */
export function createDrainRound(options: RoundOptions): DrainRound {
  return async (deadline) => {
    const settings = await options.loadSettings();
    let nextVisibleInSeconds: number | null = null;
    const note = (result: BatchResult) => {
      nextVisibleInSeconds = soonest(nextVisibleInSeconds, result.nextVisibleInSeconds);
      return result.messages;
    };
    const worker = async () => {
      while (options.dependencies.now() < deadline) {
        const cancelled = note(await processCancellationBatch(options.dependencies, settings));
        const dispatched = note(await processDispatchBatch(options.dependencies, settings));
        if (cancelled === 0 && dispatched === 0) return;
      }
    };
    await Promise.all(Array.from({ length: options.workers }, worker));
    // Messages this round never saw (delayed at enqueue for a scheduled send, put back by
    // another process, or visible only since the last read came back empty) still need a
    // timely kick; the pg_cron sweep covers anything later.
    const { dispatch, cancellation } = options.dependencies.queues;
    const hidden = await Promise.all([
      dispatch.secondsUntilNextVisible(),
      cancellation.secondsUntilNextVisible(),
    ]);
    return { nextVisibleInSeconds: hidden.reduce(soonest, nextVisibleInSeconds) };
  };
}
