/**
 * The queue step of a dispatch batch: route the intake into lanes, look at the lanes with
 * work, choose how many messages each gives this batch (priority, fairness, rate limits;
 * `selection.ts`), spend the rate-limited enterprises' tokens, and lease the messages.
 */
import type { DispatchDependencies } from "./dependencies.ts";
import { INTAKE_QUEUE, type QueueMessage } from "./queue.ts";
import { allowance, msUntilNextToken, spend } from "./rate-limit.ts";
import { type LaneRead, selectLaneReads, URGENT_BAND } from "./selection.ts";
import type { DispatchSettings } from "./settings.ts";

/** Intake messages the router moves per call; a 20,000-row flood takes four calls. */
export const ROUTE_LIMIT = 5_000;

/**
 * An express batch takes at most this many messages, and only from short lanes: the urgent
 * band and lanes with at most this many visible. A loop on a flood's batch is busy for a
 * second or more; a round keeps one loop on express batches (round.ts), so a quiet
 * enterprise's notification or a fire alarm waits for one small batch, never behind a flood
 * (issue 9, fairness). Long lanes, and routing the intake, are left to the round's other
 * loops.
 */
export const EXPRESS_BATCH_SIZE = 10;

export interface FairRead {
  messages: QueueMessage[];
  /** When a throttled enterprise has its next token (ms from now); null if none waits. */
  throttledForMs: number | null;
}

export async function readFairBatch(
  dependencies: DispatchDependencies,
  settings: DispatchSettings,
  express = false,
): Promise<FairRead> {
  const lanes = dependencies.queues.dispatch;
  const batchSize = express ? Math.min(settings.batchSize, EXPRESS_BATCH_SIZE) : settings.batchSize;
  if (!settings.fairLanes) {
    // First in, first out from the intake; the lanes still drain what they hold.
    const fifo = await lanes.read(
      [{ queue: INTAKE_QUEUE, band: 2, enterpriseId: null, qty: batchSize }],
      settings.visibilityTimeoutSeconds,
    );
    if (fifo.length > 0) return { messages: fifo, throttledForMs: null };
  }
  // An express batch does not route: what it serves is already in a lane (a critical
  // notification, or a due row whose lane exists, placed by the enqueue trigger), and the
  // round's regular loops route at every batch. It saves the batch's costliest round trip.
  if (!express) await lanes.route(ROUTE_LIMIT);
  const backlog = express
    ? (await lanes.backlog(EXPRESS_BATCH_SIZE + 1)).filter((lane) =>
      lane.band === URGENT_BAND || lane.visible <= EXPRESS_BATCH_SIZE
    )
    : await lanes.backlog(batchSize);
  const limitedLanes = backlog.filter((lane) => lane.band !== URGENT_BAND && lane.enterpriseId);
  const limits = await dependencies.rateLimits.load([
    ...new Set(limitedLanes.map((lane) => lane.enterpriseId!)),
  ]);
  if (backlog.length === 0 && limits.length === 0) return { messages: [], throttledForMs: null };

  const nowMs = dependencies.now();
  const allowances = new Map(
    limits.map((entry) => [entry.enterpriseId, allowance(entry.limit, entry.bucket, nowMs)]),
  );
  let reads = selectLaneReads(backlog, batchSize, allowances, dependencies.random);

  let throttledForMs: number | null = null;
  for (const entry of limits) {
    const demand = limitedLanes.filter((lane) => lane.enterpriseId === entry.enterpriseId)
      .reduce((sum, lane) => sum + lane.visible, 0);
    const taken = reads.filter((read) =>
      read.band !== URGENT_BAND && read.enterpriseId === entry.enterpriseId
    ).reduce((sum, read) => sum + read.qty, 0);
    const throttled = demand > allowances.get(entry.enterpriseId)!;
    const bucket = spend(entry.limit, entry.bucket, taken, nowMs);
    if (throttled) {
      const waitMs = Math.max(1, msUntilNextToken(entry.limit, bucket, nowMs));
      throttledForMs = Math.min(throttledForMs ?? waitMs, waitMs);
    }
    if (taken === 0 && throttled === entry.throttled) continue;
    if (!await dependencies.rateLimits.save(entry, bucket, throttled)) {
      // Another batch spent this enterprise's tokens meanwhile: skip it this time.
      reads = reads.filter((read) =>
        read.band === URGENT_BAND || read.enterpriseId !== entry.enterpriseId
      );
    }
  }
  return {
    messages: reads.length === 0
      ? []
      : interleaveLanes(await lanes.read(reads, settings.visibilityTimeoutSeconds), reads),
    throttledForMs,
  };
}

/**
 * A batch's messages in the order their Novu calls go out: bands in priority order, and within
 * a band one message of each lane in turn. A batch sends a few events at a time
 * (`triggerConcurrency`), so a lane read after a flood's would wait behind every message of
 * it; interleaved, every enterprise's first message goes out in the batch's first wave.
 */
export function interleaveLanes(messages: QueueMessage[], reads: LaneRead[]): QueueMessage[] {
  const byLane = Map.groupBy(messages, (message) => message.queue);
  const bands = [...new Set(reads.map((read) => read.band))].sort((a, b) => a - b);
  const ordered: QueueMessage[] = [];
  for (const band of bands) {
    const lanes = reads.filter((read) => read.band === band)
      .map((read) => byLane.get(read.queue) ?? []);
    const longest = Math.max(0, ...lanes.map((lane) => lane.length));
    for (let turn = 0; turn < longest; turn++) {
      for (const lane of lanes) if (turn < lane.length) ordered.push(lane[turn]);
    }
  }
  return ordered;
}
