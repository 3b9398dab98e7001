import type { NovuSyncStore, SyncClaim } from "../novu/sync.ts";
import type { Sql } from "./client.ts";

/** Defaults of the settings `novu_sync_debounce_ms` and `novu_sync_max_wait_ms`. */
const DEFAULT_DEBOUNCE_MS = 1_000;
const DEFAULT_MAX_WAIT_MS = 10_000;
/** A sync running longer than this is taken for dead (the Novu call times out well before). */
const SYNC_LEASE_S = 120;

/** The sync bookkeeping of `notify_internal` (claim_novu_sync, finish_novu_sync). */
export function createPostgresNovuSyncStore(sql: Sql): NovuSyncStore {
  return {
    async claim() {
      const [{ claim }] = await sql<{ claim: Record<string, unknown> }[]>`
        select notify_internal.claim_novu_sync(
          coalesce(notify_internal.setting('novu_sync_debounce_ms')::integer, ${DEFAULT_DEBOUNCE_MS}),
          coalesce(notify_internal.setting('novu_sync_max_wait_ms')::integer, ${DEFAULT_MAX_WAIT_MS}),
          ${SYNC_LEASE_S}) as claim`;
      switch (claim.state) {
        case "claimed":
          return { state: "claimed", syncId: Number(claim.sync_id) };
        case "debouncing":
        case "backing_off":
          return { state: claim.state, waitMs: Number(claim.wait_ms) };
        default:
          return { state: claim.state } as SyncClaim;
      }
    },
    async finish(syncId, answer) {
      const [{ recorded }] = await sql<{ recorded: boolean }[]>`
        select notify_internal.finish_novu_sync(${syncId}::bigint, ${answer.ok},
          ${answer.status}::integer, ${answer.ok ? answer.workflows : null}::text[],
          ${answer.ok ? null : answer.error}::text) as recorded`;
      return recorded;
    },
  };
}
