import type postgres from "postgres";
import { asCaller } from "../../../shared/db/as-caller.ts";
import type { Sql } from "../../../shared/db/client.ts";
import type { CallerClaims } from "../../../shared/http/claims.ts";
import type { EmitEventResult, EventRequestBody } from "./handler.ts";

/** Refusals of notify.emit_event and the event table's checks: bad input, said as such. */
const INPUT_ERRORS = new Set(["23514", "22023"]);

/** Calls notify.emit_event as the caller, so its enterprise check sees the caller's claims. */
export async function emitEvent(
  sql: Sql,
  claims: CallerClaims,
  event: EventRequestBody,
): Promise<EmitEventResult> {
  try {
    const [row] = await asCaller(sql, claims, (tx) =>
      tx<{ id: string }[]>`
        select notify.emit_event(
          ${event.enterprise_id}::uuid, ${event.event},
          ${tx.json((event.payload ?? {}) as postgres.JSONValue)}, ${event.dedup_key ?? null}
        )::text as id
      `);
    return { outcome: "emitted", id: Number(row.id) };
  } catch (error) {
    if (error instanceof Error && "code" in error && INPUT_ERRORS.has(String(error.code))) {
      return { outcome: "refused", message: error.message };
    }
    throw error;
  }
}
