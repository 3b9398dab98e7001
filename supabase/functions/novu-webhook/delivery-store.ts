import type postgres from "postgres";
import type { Sql } from "../../../shared/db/client.ts";
import type { RecordOutcome } from "./handler.ts";
import type { MessageEvent } from "./message-event.ts";

/**
 * `notify_internal.record_delivery_event`: the one write of `notify.delivery_event`. A request
 * Svix gave up on (`signal` aborted) is cancelled, so it never waits in the pool's queue ahead of
 * live ones after an outage.
 */
export async function recordDeliveryEvent(
  sql: Sql,
  svixId: string,
  event: MessageEvent,
  signal: AbortSignal,
): Promise<RecordOutcome> {
  if (event.notificationId === undefined) return "unlinked";
  const query = sql<{ outcome: RecordOutcome }[]>`
    select notify_internal.record_delivery_event(
      ${svixId}, ${event.eventId}, ${event.type}, ${event.notificationId}, ${event.transactionId},
      ${event.subscriberId}, ${event.channel}, ${event.stepId}, ${event.messageId},
      ${event.errorMessage}, ${sql.json(event.data as postgres.JSONValue)},
      ${event.occurredAt}::timestamptz
    ) as outcome
  `;
  const cancel = () => query.cancel();
  signal.addEventListener("abort", cancel, { once: true });
  try {
    const [row] = await query;
    return row.outcome;
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}
