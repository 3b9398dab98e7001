import type { DrainLease } from "../db/drain-lease.ts";
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
  /**
   * The function's drain lease (enqueues skip their kick while it holds): the round renews it
   * while it reads, lingers when the queues look empty and ends only through its stop. Without
   * it a round ends at the first empty look.
   */
  lease?: DrainLease;
  leaseTimings?: Partial<LeaseTimings>;
}

/** How a leased round keeps, lingers on and gives up its lease (docs/internals.md). */
export interface LeaseTimings {
  /** How long each renewal promises (renewed once a third of it has passed). */
  leaseMs: number;
  /** Looking on this long after the queues looked empty before stopping. */
  lingerMs: number;
  /** Between looks while lingering, and between stop attempts. */
  pollMs: number;
  /**
   * How long a stop waits for open transactions that skipped their kick. A caller that keeps
   * its transaction open longer is left to the next kick or the pg_cron sweep: slower, never
   * lost.
   */
  stopWaitMs: number;
}

/**
 * With no kicks coming while the lease holds, a lingering round finds new work by looking: a
 * notification waits half a poll on average (25 ms), against a kick's trip through pg_net and
 * the gateway; each look is one batch's queue step (two or three queries).
 */
export const DEFAULT_LEASE_TIMINGS: LeaseTimings = {
  leaseMs: 3_000,
  lingerMs: 1_000,
  pollMs: 50,
  stopWaitMs: 2_000,
};

/**
 * How soon a loop that found its queue empty looks again while another loop of the round is
 * still on a batch (say, a Novu call hanging until its timeout): new work does not wait for
 * the slow batch, which delays only its own notifications (issue 7, finding 4). Without a
 * lease a kick wakes such a loop at once, and this is the fallback. Under a lease no kick
 * comes, so the loop looks every `pollMs` instead: a fire alarm inserted during a flood must
 * not wait a quarter of a second for an express loop to look (`priority` bench, Novu's runs
 * deferred: p99 155 ms with kicks, 298 ms with leases and this poll).
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
  const lease = options.lease;
  const timings = { ...DEFAULT_LEASE_TIMINGS, ...options.leaseTimings };
  // Whether producers may be skipping their kick on this round's word: set by a renewal,
  // cleared only by a successful stop. A round may end holding it only by handing over to a
  // fresh drain (nextVisibleInSeconds 0).
  let leaseGiven = false;
  let renewedAt = -Infinity;
  let renewal: Promise<void> | null = null;
  const keepLease = async () => {
    if (!lease || options.dependencies.now() - renewedAt < timings.leaseMs / 3) return;
    renewal ??= lease.renew(timings.leaseMs).then(() => {
      renewedAt = options.dependencies.now();
    }).finally(() => {
      renewal = null;
    });
    leaseGiven = true;
    await renewal;
  };
  /** After a stop (which set the lease to 0): the next batch renews before it reads. */
  const leaseEnded = () => {
    leaseGiven = false;
    renewedAt = -Infinity;
  };
  // The linger's nap is woken by a kick like an idle loop (after every loop has ended).
  const LINGER = options.workers;
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
    // One batch of the given kind; the soonest put-back message it reports is kept for the
    // round's follow-up. Returns how many messages it read.
    const takeBatch = async (express: boolean) => {
      const result = await processBatch(options.dependencies, await currentSettings(), express);
      nextVisibleInSeconds = soonest(nextVisibleInSeconds, result.nextVisibleInSeconds);
      return result.messages;
    };
    const worker = async (_: unknown, index: number) => {
      const express = index < expressLoops;
      while (!drained && mayTakeBatch(express)) {
        const inTime = options.dependencies.now() < deadline;
        const wakesBefore = wakes;
        busy += 1;
        if (inTime) begunInTime += 1;
        if (!express) fullBatchesRunning += 1;
        const messages = await keepLease()
          .then(() => takeBatch(express))
          .finally(() => {
            busy -= 1;
            if (inTime) begunInTime -= 1;
            if (!express) fullBatchesRunning -= 1;
          });
        if (messages > 0) continue;
        if (busy === 0) {
          drained = true;
          wakeEveryLoop();
          return;
        }
        if (wakes === wakesBefore) await idle(index, lease ? timings.pollMs : IDLE_POLL_MS);
      }
      // This loop may not take another batch (the budget or the deadline): an express loop
      // idling beside its batch looks again now instead of after its poll, and ends the round.
      wakeEveryLoop();
    };
    // One look, as the round's own kind of batch (a full one routes the intake).
    const look = async () => await takeBatch(options.expressOnly ?? false) > 0;
    /**
     * After the loops found the queues empty: looks again every pollMs for lingerMs (producers
     * skip their kicks meanwhile), then stops the lease and looks once more. "work": a look
     * found some, the loops go on. "handover": out of time with the lease given.
     */
    const lingerAndStop = async (): Promise<"work" | "handover" | "ended"> => {
      const now = options.dependencies.now;
      const emptySince = now();
      while (now() - emptySince < timings.lingerMs) {
        // Idle looks are not budgeted: they cost a queue step, and a drain spending its checks
        // on them would hand over to a fresh one every few looks.
        if (now() >= deadline) return "handover";
        await idle(LINGER, timings.pollMs);
        await keepLease();
        if (await look()) return "work";
      }
      const until = Math.min(deadline, now() + timings.stopWaitMs);
      while (!(await lease!.stop())) {
        if (now() >= until) {
          if (now() >= deadline) return "handover";
          options.dependencies.log(
            "a transaction that skipped its kick is still open; the next kick or sweep serves it",
          );
          leaseEnded();
          return "ended";
        }
        await idle(LINGER, timings.pollMs);
      }
      leaseEnded();
      // The lease is over: this look promises nothing, and what it finds is served as usual.
      return await look() ? "work" : "ended";
    };
    while (true) {
      drained = false;
      await Promise.all(Array.from({ length: options.workers }, worker));
      if (!leaseGiven) break;
      // Stopped early (the deadline or the budget), or out of time lingering: a fresh drain
      // keeps the lease's promise.
      const next = drained ? await lingerAndStop() : "handover";
      if (next === "handover") return { nextVisibleInSeconds: 0 };
      if (next === "ended") break;
    }
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
