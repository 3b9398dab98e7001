import { createDbClient } from "../../../shared/db/client.ts";
import {
  finishEvents,
  loadEventRules,
  readEvents,
  recordFirings,
} from "../../../shared/db/rules-store.ts";
import { createPostgresDrainLease } from "../../../shared/db/drain-lease.ts";
import { createDrainer } from "../../../shared/dispatch/drainer.ts";
import {
  edgeRuntimeWaitUntil,
  gatewayKick,
  handOverAtUnload,
  processCpuReader,
} from "../../../shared/http/kick-handler.ts";
import { createPayloadValidator } from "../../../shared/dispatch/payload-validation.ts";
import { createEventRound } from "../../../shared/rules/events.ts";
import { KICK_SECRET_ENV } from "../../../shared/http/kick.ts";
import { createRuleEventsHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!);
const log = (message: string, context: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ function: "rule-events", message, ...context }));

const kickSecret = Deno.env.get(KICK_SECRET_ENV);
// This function's own kick through the gateway: a spent drain's hand-over, and at unload.
const kickSelf = gatewayKick({
  functionName: "rule-events",
  kickSecret,
  supabaseUrl: Deno.env.get("SUPABASE_URL"),
});

// The dispatcher's kick coalescing: one drain per instance, a kick during a drain is not lost.
const drainer = createDrainer({
  round: createEventRound({
    readEvents: (limit, leaseMs) => readEvents(sql, limit, leaseMs),
    loadEventRules: (events) => loadEventRules(sql, events),
    recordFirings: (firings) => recordFirings(sql, firings),
    finishEvents: (messageIds, matches) => finishEvents(sql, messageIds, matches),
    validatePayload: createPayloadValidator(),
    now: () => Date.now(),
    log,
    // emit_event skips its kick while this drain's lease holds (docs/internals.md, "Coalesced
    // kicks"); the lease is renewed by readEvents.
    stopDrain: createPostgresDrainLease(sql, "rule-events").stop,
  }),
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  readCpuMs: processCpuReader(),
  keepAlive: edgeRuntimeWaitUntil,
  handOver: kickSelf,
  log,
});

const edgeRuntime = (globalThis as { EdgeRuntime?: { waitUntil(work: Promise<unknown>): void } })
  .EdgeRuntime;

Deno.serve(createRuleEventsHandler({
  kick: () => drainer.kick(),
  waitUntil: (work) => edgeRuntime?.waitUntil(work),
  kickSecret,
}));

// A drain under way when the worker is dropped may have a lease that made producers skip their
// kicks: the next worker's drain reads their events, and waits for those still open.
handOverAtUnload({ kick: kickSelf, log });

// Events left by a predecessor (a crash, a deploy) are matched at boot, not at the next tick.
edgeRuntime?.waitUntil(drainer.kick());
