import { createDbClient } from "../db/client.ts";
import { createPostgresDrainLease } from "../db/drain-lease.ts";
import { createLiveTemplateEngine } from "../db/live-template-engine.ts";
import { createDrainer } from "./drainer.ts";
import { createPayloadValidator } from "./payload-validation.ts";
import { CANCELLATION_QUEUE } from "./queue.ts";
import { createRetractionBoard } from "./retractions.ts";
import { createDrainRound } from "./round.ts";
import { parseDispatchSettings } from "./settings.ts";
import { engineRenderer } from "../workflows/engine-renderer.ts";
import { KICK_SECRET_ENV } from "../http/kick.ts";
import { gatewayKick, handOverAtUnload, processCpuReader } from "../http/kick-handler.ts";
import { createPostgresBulkLedger } from "./adapters/bulk-ledger.ts";
import { createDispatcherHandler } from "./adapters/handler.ts";
import { createPostgresNotificationStore } from "./adapters/notification-store.ts";
import { createNovuPort } from "./adapters/novu-port.ts";
import { createPgmqLanes } from "./adapters/pgmq-lanes.ts";
import { createPgmqQueue } from "./adapters/pgmq-queue.ts";
import { createPostgresRateLimitStore } from "./adapters/rate-limit-store.ts";
import { readDispatchSettings } from "./adapters/settings-source.ts";

import type { Lane } from "./round.ts";

/**
 * One dispatcher edge function: what it drains and with how many batch loops. Two functions
 * serve the dispatch queues (an enqueue kicks each unless a drain of its own holds its lease,
 * `notify_internal.kick_dispatcher`):
 *
 * - `dispatcher` drains everything: the intake, every lane (full batches, fair across
 *   enterprises, by priority) and the cancellation queue.
 * - `dispatcher-express` takes express batches only (fair-read.ts: the urgent queue and short
 *   lanes, a few messages at a time), in an isolate of its own. During one enterprise's flood
 *   the dispatcher's single JavaScript thread is busy preparing and sending full batches, and a
 *   quiet enterprise's notification (or a fire alarm) served there waits for it; served here it
 *   does not (issue 9). Locally each function is its own process, which the OS schedules apart.
 */
export interface DispatcherInstance {
  /** The edge function's name, in logs and in the hand-over kick at unload. */
  functionName: "dispatcher" | "dispatcher-express";
  /** Dispatch batch loops per drain; each holds at most one database connection at a time. */
  dispatchLoops: number;
  /** How many of them take express batches (all of them when `expressOnly`). */
  expressLoops: number;
  expressOnly: boolean;
  /** Whether this function also drains the cancellation queue. */
  cancellationLane: boolean;
}

/** Serves one dispatcher function (see DispatcherInstance); the entry point calls only this. */
export function serveDispatcher(instance: DispatcherInstance): void {
  // One connection per dispatch loop, one for the cancellation lane, one for the rest.
  const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!, {
    max: instance.dispatchLoops + 2,
  });
  // Renders dynamic workflows' templates before triggering, to fail on template errors at once.
  const engine = createLiveTemplateEngine(sql);
  const log = (message: string, context: Record<string, unknown> = {}) =>
    console.log(JSON.stringify({ function: instance.functionName, message, ...context }));

  const dependencies = {
    queues: {
      dispatch: createPgmqLanes(sql),
      cancellation: createPgmqQueue(sql, CANCELLATION_QUEUE),
    },
    store: createPostgresNotificationStore(sql),
    bulkLedger: createPostgresBulkLedger(sql),
    rateLimits: createPostgresRateLimitStore(sql),
    novu: createNovuPort({
      secretKey: Deno.env.get("NOVU_SECRET_KEY") ?? "",
      serverURL: Deno.env.get("NOVU_API_URL"),
    }),
    retractions: createRetractionBoard(() => Date.now()),
    render: engineRenderer(engine),
    validatePayload: createPayloadValidator(),
    now: () => Date.now(),
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    log,
  };
  const loadSettings = async () => parseDispatchSettings(await readDispatchSettings(sql));

  const kickSecret = Deno.env.get(KICK_SECRET_ENV);
  // This function's own kick through the gateway: a spent drain's hand-over, and at unload.
  const kickSelf = gatewayKick({
    functionName: instance.functionName,
    kickSecret,
    supabaseUrl: Deno.env.get("SUPABASE_URL"),
  });
  // Hosted Supabase keeps an instance alive for promises given to EdgeRuntime.waitUntil (the
  // local functions server's workers provide it too: local/functions-server/worker.ts).
  const edgeRuntime = (globalThis as {
    EdgeRuntime?: { waitUntil(work: Promise<unknown>): void };
  }).EdgeRuntime;
  // Each drain stays within a CPU budget (drainer.ts); what is left goes on in a fresh drain.
  const readCpuMs = processCpuReader();

  // One drainer per lane: cancellations never wait behind dispatch work (see round.ts).
  const lanes: Array<[Lane, number]> = [["dispatch", instance.dispatchLoops]];
  if (instance.cancellationLane) lanes.push(["cancellation", 1]);
  const drainers = lanes.map(([lane, workers]) =>
    createDrainer({
      round: createDrainRound({
        workers,
        expressLoops: instance.expressLoops,
        expressOnly: instance.expressOnly,
        lane,
        loadSettings,
        dependencies,
        // Enqueues skip their kick while this function's dispatch drain holds its lease
        // (notify_internal.kick_dispatcher); cancellations are always kicked.
        lease: lane === "dispatch"
          ? createPostgresDrainLease(sql, instance.functionName)
          : undefined,
      }),
      now: () => Date.now(),
      setTimer: (callback, ms) => setTimeout(callback, ms),
      readCpuMs,
      keepAlive: (work) => edgeRuntime?.waitUntil(work),
      handOver: kickSelf,
      log,
    })
  );
  const kickEveryLane = async () => {
    await Promise.all(drainers.map((drainer) => drainer.kick()));
  };

  Deno.serve(createDispatcherHandler({
    kick: kickEveryLane,
    waitUntil: (work) => edgeRuntime?.waitUntil(work),
    kickSecret,
  }));

  // Its timed follow-up kicks go with a dropped worker; the next worker's round re-arms them
  // from the queue (secondsUntilNextVisible).
  handOverAtUnload({ kick: kickSelf, log });

  // A new instance (after a crash or a deploy) drains what its predecessor left at once, rather
  // than at the next kick or sweep; its own follow-ups then cover the messages still leased.
  const bootDrain = kickEveryLane();
  edgeRuntime?.waitUntil(bootDrain);
}
