import type { DrainRound } from "./drainer.ts";
import { processCancellationBatch } from "./cancellation.ts";
import type { BatchResult, DispatchDependencies } from "./dependencies.ts";
import { processDispatchBatch } from "./dispatch.ts";
import type { DispatchSettings } from "./settings.ts";
import { soonest } from "./settle.ts";

/**
 * The dispatcher's two lanes, each drained by its own drainer: a cancel never waits behind
 * dispatch work (a batch of Novu calls, a slow or hanging call), since Novu can only cancel
 * what is still pending (issue 7, finding 4).
 */
export type Lane = "dispatch" | "cancellation";

export interface RoundOptions {
  dependencies: DispatchDependencies;
  loadSettings: () => Promise<DispatchSettings>;
  /** Batch loops running side by side (pgmq's read skips messages another loop holds). */
  workers: number;
  /**
   * How many of the loops take express batches (default 1 when there are several loops). Each
   * express batch waits for its own Novu calls, so with one express loop a quiet enterprise's
   * next notification waits for the previous one's call; a second one serves it meanwhile.
   */
  expressLoops?: number;
  lane: Lane;
  /** Every loop takes express batches (long lanes are left to another drainer). */
  expressOnly?: boolean;
  /** Waits `ms` (default a timer); injected so tests need no real time. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * How soon a loop that found its queue empty looks again while another loop of the round is
 * still on a batch (say, a Novu call hanging until its timeout): new work does not wait for
 * the slow batch, which delays only its own notifications (issue 7, finding 4).
 */
export const IDLE_POLL_MS = 250;

/**
 * How old the settings a batch runs with may be. A round can last the whole drain budget (a
 * busy queue, or loops polling beside a hanging call), and an operator's change (say, a lower
 * attempt limit) must reach the next batch, not the next drain.
 */
export const SETTINGS_MAX_AGE_MS = 1_000;

const PROCESS_BATCH: Record<
  Lane,
  (
    dependencies: DispatchDependencies,
    settings: DispatchSettings,
    express: boolean,
  ) => Promise<BatchResult>
> = {
  dispatch: processDispatchBatch,
  cancellation: processCancellationBatch,
};

/**
 * One drain round of a lane: `workers` loops each taking batches of the lane's queue until
 * nothing is visible to any of them, the deadline passes or the drain's CPU budget is spent. With several loops the first
 * `expressLoops` take express batches (fair-read.ts: small, short lanes only), so new work from a quiet
 * enterprise or a fire alarm never waits for a loop busy with a flood. A loop that finds
 * nothing looks again after IDLE_POLL_MS, or at once when the round wakes it for a kick, while
 * another loop is still busy, past the deadline too while a batch begun before it runs; once
 * a loop finds nothing with none busy, the round ends for all. Each batch runs with
 * settings read at most SETTINGS_MAX_AGE_MS earlier, one read shared by the loops.
 */
export function createDrainRound(options: RoundOptions): DrainRound {
  const processBatch = PROCESS_BATCH[options.lane];
  // At least one loop always takes full batches: an express loop skips long lanes.
  const expressLoops = options.expressOnly
    ? options.workers
    : Math.min(options.expressLoops ?? 1, options.workers - 1);
  const sleep = options.sleep ??
    ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Idle loops of the running round by index, each waiting for its poll or a wake, whichever
  // is first.
  const sleepers = new Map<number, () => void>();
  const idle = (index: number, ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        if (sleepers.get(index) === wake) sleepers.delete(index);
        resolve();
      };
      sleepers.set(index, wake);
      void sleep(ms).then(wake);
    });
  // Counts wakes, so a loop whose look came back empty knows whether a wake came during it
  // (the new work may have arrived after its read) and looks again instead of sleeping.
  let wakes = 0;
  // New work came (a kick): one idle loop looks now, an express loop (lowest index) first. Waking
  // every loop would have them all read for the same few rows at every insert.
  const wakeOneLoop = () => {
    wakes += 1;
    sleepers.get(Math.min(...sleepers.keys()))?.();
  };
  const wakeEveryLoop = () => {
    for (const wake of [...sleepers.values()]) wake();
  };
  const round = async (deadline: number, spent: () => boolean = () => false) => {
    let settings: { readAt: number; value: Promise<DispatchSettings> } | null = null;
    const currentSettings = () => {
      const now = options.dependencies.now();
      if (settings === null || now - settings.readAt >= SETTINGS_MAX_AGE_MS) {
        settings = { readAt: now, value: options.loadSettings() };
      }
      return settings.value;
    };
    let nextVisibleInSeconds: number | null = null;
    let busy = 0;
    // Batches begun before the deadline and still running. The round cannot end before they
    // do, so until then an idle loop keeps serving new work past the deadline instead of
    // leaving it to wait for a slow batch; the overrun is bounded by those batches' length.
    let begunInTime = 0;
    // Full batches running now. A spent CPU budget stops the full loops at once: the batches
    // still running are its margin. While they run an express loop goes on serving quiet lanes
    // (small batches, little CPU): the round cannot end before those batches do, and a quiet
    // enterprise's notification must not wait for them (issue 9). Measured in the fairness
    // bench with the edge-runtime limits on, where a flood spends the budget every second or so.
    let fullBatchesRunning = 0;
    const mayTakeBatch = (express: boolean) =>
      (!spent() || (express && fullBatchesRunning > 0)) &&
      (options.dependencies.now() < deadline || begunInTime > 0);
    // Set once a loop finds nothing with no batch running: every loop stops then, so a loop
    // waking from its idle poll cannot carry on alone with new work (which might hang it
    // while the others are gone); new work comes with a kick and gets a full round. An express
    // loop skips long lanes, but with no batch running a long lane is one that came since the
    // others last looked: it came with a kick, or shows in secondsUntilNextVisible below.
    let drained = false;
    const worker = async (_: unknown, index: number) => {
      const express = index < expressLoops;
      while (!drained && mayTakeBatch(express)) {
        const inTime = options.dependencies.now() < deadline;
        const wakesBefore = wakes;
        busy += 1;
        if (inTime) begunInTime += 1;
        if (!express) fullBatchesRunning += 1;
        const result = await currentSettings()
          .then((settings) => processBatch(options.dependencies, settings, express))
          .finally(() => {
            busy -= 1;
            if (inTime) begunInTime -= 1;
            if (!express) fullBatchesRunning -= 1;
          });
        nextVisibleInSeconds = soonest(nextVisibleInSeconds, result.nextVisibleInSeconds);
        if (result.messages > 0) continue;
        if (busy === 0) {
          drained = true;
          wakeEveryLoop();
          return;
        }
        if (wakes === wakesBefore) await idle(index, IDLE_POLL_MS);
      }
      // This loop may not take another batch (the budget or the deadline): an express loop
      // idling beside its batch looks again now instead of after its poll, and ends the round.
      wakeEveryLoop();
    };
    await Promise.all(Array.from({ length: options.workers }, worker));
    // Messages this round never saw (delayed at enqueue for a scheduled send, put back by
    // another process, or visible only since the last read came back empty) still need a
    // timely kick; the pg_cron sweep covers anything later. Not for an express-only round:
    // what it cannot serve (the intake, a flood's lane) would have it kick itself every second
    // for nothing; the dispatcher's own rounds arm those kicks.
    const hidden = options.expressOnly
      ? null
      : await options.dependencies.queues[options.lane].secondsUntilNextVisible();
    return { nextVisibleInSeconds: soonest(hidden, nextVisibleInSeconds) };
  };
  return Object.assign(round, { wake: wakeOneLoop });
}
