import { createDbClient } from "../../../shared/db/client.ts";
import { createPostgresNovuSyncStore } from "../../../shared/db/novu-sync-store.ts";
import { createDrainer } from "../../../shared/dispatch/drainer.ts";
import { KICK_SECRET_ENV } from "../../../shared/http/kick.ts";
import {
  createKickHandler,
  edgeRuntimeWaitUntil,
  gatewayKick,
  handOverAtUnload,
  processCpuReader,
} from "../../../shared/http/kick-handler.ts";
import { callNovuSync, createNovuSyncRound } from "../../../shared/novu/sync.ts";

/** Novu discovers the bridge within this call; its own bridge timeout is shorter. */
const NOVU_SYNC_TIMEOUT_MS = 30_000;

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!, { max: 1 });
const log = (message: string, context: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ function: "novu-sync", message, ...context }));
// The public URL Novu Cloud reaches the bridge at: NOVU_BRIDGE_URL, else this project's.
const bridgeUrl = Deno.env.get("NOVU_BRIDGE_URL") ??
  `${Deno.env.get("SUPABASE_URL")}/functions/v1/novu-bridge`;

const kickSecret = Deno.env.get(KICK_SECRET_ENV);
// This function's own kick through the gateway: a spent drain's hand-over, and at unload.
const kickSelf = gatewayKick({
  functionName: "novu-sync",
  kickSecret,
  supabaseUrl: Deno.env.get("SUPABASE_URL"),
});

// The dispatcher's kick coalescing: one sync loop per instance, a kick during it is not lost,
// and the debounce or backoff left is a timed follow-up kick (pg_cron covers longer waits).
const drainer = createDrainer({
  round: createNovuSyncRound({
    store: createPostgresNovuSyncStore(sql),
    callNovu: () =>
      callNovuSync({
        apiUrl: Deno.env.get("NOVU_API_URL") ?? "https://api.novu.co",
        secretKey: Deno.env.get("NOVU_SECRET_KEY") ?? "",
        bridgeUrl,
        fetch,
        timeoutMs: NOVU_SYNC_TIMEOUT_MS,
      }),
    now: () => Date.now(),
    log,
  }),
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  readCpuMs: processCpuReader(),
  keepAlive: edgeRuntimeWaitUntil,
  handOver: kickSelf,
  log,
});

Deno.serve(createKickHandler("the Novu sync", {
  kick: () => drainer.kick(),
  kickSecret,
}));

// A failed sync's retry is a timed follow-up kick in this worker: when the runtime drops the
// worker first (a retired one, idle, is dropped at once), the next worker must arm it again, or
// the retry waits for the pg_cron sweep (up to a minute) while notifications await the sync.
handOverAtUnload({ kick: kickSelf, log });
