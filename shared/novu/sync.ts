/**
 * Automatic Novu sync (issue 10): Novu Cloud runs only the workflows of its last sync, so
 * XNovu makes the call `npx novu sync` makes whenever workflows changed (docs/internals.md,
 * Novu sync). The database records what changed and decides when a sync may start (debounce,
 * one at a time, backoff after a failure); `createNovuSyncRound` is the loop the novu-sync
 * function runs per kick. Pure: the store, the Novu call and the log are injected.
 */
import type { DrainRound } from "../dispatch/drainer.ts";

/** What `notify_internal.claim_novu_sync` answers. */
export type SyncClaim =
  | { state: "idle" }
  | { state: "busy" }
  | { state: "debouncing" | "backing_off"; waitMs: number }
  | { state: "claimed"; syncId: number };

/** Novu's answer to one sync call. */
export type NovuSyncAnswer =
  | { ok: true; status: number; workflows: string[] }
  | { ok: false; status: number | null; error: string };

export interface NovuSyncStore {
  claim(): Promise<SyncClaim>;
  /** Records the outcome; false when the sync was no longer running (lease expired). */
  finish(syncId: number, answer: NovuSyncAnswer): Promise<boolean>;
}

export interface NovuSyncCall {
  /** Novu's API, e.g. https://api.novu.co (EU: https://eu.api.novu.co). */
  apiUrl: string;
  secretKey: string;
  /** The public URL of the novu-bridge function, which Novu discovers. */
  bridgeUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
}

/** Novu's error answers and a bridge's stack traces must not fill the sync log. */
const MAX_ERROR_CHARS = 2_000;

/** The workflow id of one entry of the sync answer (Novu's NotificationTemplateEntity). */
function workflowIdOf(entry: unknown): string | null {
  const template = entry as { triggers?: Array<{ identifier?: unknown }>; workflowId?: unknown };
  const identifier = template?.triggers?.[0]?.identifier ?? template?.workflowId;
  return typeof identifier === "string" ? identifier : null;
}

/**
 * The novu CLI's sync (novuhq/novu `packages/cli/src/commands/sync.ts`, `executeSync`):
 * `POST <api>/v1/bridge/sync?source=cli`, JSON `{ bridgeUrl }`, `Authorization: ApiKey <key>`;
 * any status >= 400 is a failure. Novu then discovers the bridge itself (signed) and answers
 * `{ data: [workflow, ...] }`, the workflows it now runs (apps/api bridge.controller.ts,
 * `Sync` use case).
 */
export async function callNovuSync(call: NovuSyncCall): Promise<NovuSyncAnswer> {
  let response: Response;
  try {
    response = await call.fetch(new URL("/v1/bridge/sync?source=cli", call.apiUrl), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `ApiKey ${call.secretKey}`,
      },
      body: JSON.stringify({ bridgeUrl: call.bridgeUrl }),
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    return { ok: false, status: null, error: `Novu unreachable: ${String(error)}` };
  }
  const text = await response.text().catch((error) => `(answer unreadable: ${String(error)})`);
  if (response.status >= 400) {
    return {
      ok: false,
      status: response.status,
      error: `Novu refused the sync (${response.status}): ${text.slice(0, MAX_ERROR_CHARS)}`,
    };
  }
  let data: unknown;
  try {
    data = (JSON.parse(text) as { data?: unknown })?.data;
  } catch {
    data = undefined;
  }
  if (!Array.isArray(data)) {
    return {
      ok: false,
      status: response.status,
      error: `Novu's sync answer has no workflow list: ${text.slice(0, MAX_ERROR_CHARS)}`,
    };
  }
  return {
    ok: true,
    status: response.status,
    workflows: data.map(workflowIdOf).filter((id): id is string => id !== null),
  };
}

export interface NovuSyncRoundDependencies {
  store: NovuSyncStore;
  callNovu: () => Promise<NovuSyncAnswer>;
  now: () => number;
  log: (message: string, context?: Record<string, unknown>) => void;
}

/**
 * One drain of the novu-sync function: syncs while workflows await a sync and the deadline
 * allows, then reports when to look again (the debounce or backoff left; the drainer arms a
 * kick for it). A busy answer means another sync runs: it claims again when it finishes, so
 * nothing is left behind.
 */
export function createNovuSyncRound(dependencies: NovuSyncRoundDependencies): DrainRound {
  return async (deadline, spent = () => false) => {
    while (dependencies.now() < deadline && !spent()) {
      const claim = await dependencies.store.claim();
      if (claim.state === "idle" || claim.state === "busy") {
        return { nextVisibleInSeconds: null };
      }
      if (claim.state !== "claimed") {
        return { nextVisibleInSeconds: Math.max(claim.waitMs, 1) / 1000 };
      }
      const answer = await dependencies.callNovu();
      const recorded = await dependencies.store.finish(claim.syncId, answer);
      dependencies.log(answer.ok ? "novu sync succeeded" : "novu sync failed", {
        syncId: claim.syncId,
        status: answer.status,
        ...(answer.ok ? { workflows: answer.workflows.length } : { error: answer.error }),
        ...(!recorded && { recorded: false }),
      });
    }
    return { nextVisibleInSeconds: null };
  };
}
