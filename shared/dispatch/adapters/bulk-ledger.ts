import type { Sql } from "../../db/client.ts";
import type { BulkLedger, BulkRequest } from "../bulk.ts";
import type { NovuTrigger } from "../novu-event.ts";

/** The bulk trigger ledger in `notify_internal.novu_bulk_request`, one round trip per step. */
export function createPostgresBulkLedger(sql: Sql): BulkLedger {
  return {
    async record(request) {
      // Sent as text and kept as written (a json column), so the triggers read back keep their
      // key order and a resend serialises to the same body. (A parameter typed json would have
      // the driver encode the string once more; jsonb would reorder keys.)
      await sql`
        select notify_internal.record_novu_bulk_request(
          ${request.idempotencyKey}, ${request.notificationIds}::bigint[],
          ${JSON.stringify(request.triggers)}::text::json)`;
    },

    async open(notificationIds) {
      if (notificationIds.length === 0) return [];
      const rows = await sql<
        { idempotency_key: string; notification_ids: string[]; triggers: string }[]
      >`
        select idempotency_key, notification_ids::text[], triggers::text
          from notify_internal.open_novu_bulk_requests(${notificationIds}::bigint[])`;
      return rows.map((row): BulkRequest => ({
        idempotencyKey: row.idempotency_key,
        notificationIds: row.notification_ids.map(Number),
        triggers: JSON.parse(row.triggers) as NovuTrigger[],
      }));
    },

    async close(idempotencyKeys) {
      await sql`select notify_internal.close_novu_bulk_requests(${idempotencyKeys}::text[])`;
    },

    async forget(idempotencyKey) {
      await sql`select notify_internal.forget_novu_bulk_request(${idempotencyKey})`;
    },
  };
}
