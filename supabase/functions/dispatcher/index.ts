import { createDbClient } from "../../../shared/db/client.ts";
import { createLiveTemplateEngine } from "../../../shared/db/live-template-engine.ts";
import { createDrainer } from "../../../shared/dispatch/drainer.ts";
import { createPayloadValidator } from "../../../shared/dispatch/payload-validation.ts";
import { CANCELLATION_QUEUE } from "../../../shared/dispatch/queue.ts";
import { createRetractionBoard } from "../../../shared/dispatch/retractions.ts";
import { createDrainRound } from "../../../shared/dispatch/round.ts";
import { parseDispatchSettings } from "../../../shared/dispatch/settings.ts";
import { engineRenderer } from "../../../shared/workflows/engine-renderer.ts";
import { KICK_SECRET_ENV } from "../../../shared/http/kick.ts";
import { processCpuReader } from "../../../shared/http/kick-handler.ts";
import { createDispatcherHandler } from "./handler.ts";
import { createPostgresNotificationStore } from "./notification-store.ts";
import { createNovuPort } from "./novu-port.ts";
import { createPgmqLanes } from "./pgmq-lanes.ts";
import { createPgmqQueue } from "./pgmq-queue.ts";
import { createPostgresRateLimitStore } from "./rate-limit-store.ts";
import { readDispatchSettings } from "./settings-source.ts";

/**
 * Dispatch batch loops per drain; each holds at most one database connection at a time. The
 * first EXPRESS_LOOPS take express batches (fair-read.ts), the other three full ones. Two
 * express loops cut a quiet enterprise's p99 during another's flood by about a quarter in the
 * fairness bench (one express loop serves one notification's Novu call at a time).
 */
const WORKERS = 5;
const EXPRESS_LOOPS = 2;

// One connection per dispatch loop, one for the cancellation lane, one for the rest.
const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!, { max: WORKERS + 2 });
// Renders dynamic workflows' templates before triggering, to fail on template errors at once.
const engine = createLiveTemplateEngine(sql);
const log = (message: string, context: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ function: "dispatcher", message, ...context }));

const dependencies = {
  queues: {
    dispatch: createPgmqLanes(sql),
    cancellation: createPgmqQueue(sql, CANCELLATION_QUEUE),
  },
  store: createPostgresNotificationStore(sql),
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
// Hosted Supabase keeps an instance alive for promises given to EdgeRuntime.waitUntil (the
// local functions server's workers provide it too: local/functions-server/worker.ts).
const edgeRuntime = (globalThis as { EdgeRuntime?: { waitUntil(work: Promise<unknown>): void } })
  .EdgeRuntime;
// Each drain stays within a CPU budget (drainer.ts); what is left goes on in a fresh drain.
const readCpuMs = processCpuReader();

// One drainer per lane: cancellations never wait behind dispatch work (see round.ts).
const drainers = ([["dispatch", WORKERS], ["cancellation", 1]] as const).map(([lane, workers]) =>
  createDrainer({
    round: createDrainRound({
      workers,
      expressLoops: EXPRESS_LOOPS,
      lane,
      loadSettings,
      dependencies,
    }),
    now: () => Date.now(),
    setTimer: (callback, ms) => setTimeout(callback, ms),
    readCpuMs,
    keepAlive: (work) => edgeRuntime?.waitUntil(work),
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

// A worker the runtime drops (hosted edge-runtime dispatches `beforeunload` first, reason
// `early_drop` once a retired worker is idle: docs/internals.md) takes its timed follow-up kicks
// with it. One kick through the gateway hands them to the next worker: its round re-arms them
// from the queue (secondsUntilNextVisible).
const supabaseUrl = Deno.env.get("SUPABASE_URL");
globalThis.addEventListener("beforeunload", () => {
  if (!kickSecret || !supabaseUrl) return;
  const handOver = fetch(`${supabaseUrl}/functions/v1/dispatcher`, {
    method: "POST",
    headers: { authorization: `Bearer ${kickSecret}` },
  }).then(
    (response) => response.body?.cancel(),
    (error) => log("handing over at unload failed", { error: String(error) }),
  );
  edgeRuntime?.waitUntil(handOver);
});

// A new instance (after a crash or a deploy) drains what its predecessor left at once, rather
// than at the next kick or sweep; its own follow-ups then cover the messages still leased.
const bootDrain = kickEveryLane();
edgeRuntime?.waitUntil(bootDrain);
