import type postgres from "postgres";
import type { Sql } from "../../../shared/db/client.ts";
import type { RecordOutcome } from "./handler.ts";
import type { MessageEvent } from "./message-event.ts";

/** `notify_internal.record_delivery_event`: the one write of `notify.delivery_event`. */
export async function recordDeliveryEvent(
  sql: Sql,
  svixId: string,
  event: MessageEvent,
): Promise<RecordOutcome> {
  if (event.notificationId === undefined) return "unlinked";
  const [row] = await sql<{ outcome: RecordOutcome }[]>`
    select notify_internal.record_delivery_event(
      ${svixId}, ${event.eventId}, ${event.type}, ${event.notificationId}, ${event.transactionId},
      ${event.subscriberId}, ${event.channel}, ${event.stepId}, ${event.messageId},
      ${event.errorMessage}, ${sql.json(event.data as postgres.JSONValue)},
      ${event.occurredAt}::timestamptz
    ) as outcome
  `;
  return row.outcome;
}
