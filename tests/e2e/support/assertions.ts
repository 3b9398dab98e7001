import assert from "node:assert/strict";
import { type Json, moves, type Sql } from "./platform.ts";

/**
 * A delivered notification's history: claimed, sent, and in between only retry round trips
 * (the emulator's faults are shared by everyone using the platform, so another test's
 * injected 500 may cost this notification an attempt without changing the outcome).
 */
export async function assertDeliveredHistory(sql: Sql, id: number): Promise<void> {
  const history = await moves(sql, id);
  assert.equal(history[0], "PENDING->PROCESSING", `history of ${id}: ${history}`);
  assert.equal(history.at(-1), "PROCESSING->SENT", `history of ${id}: ${history}`);
  const middle = history.slice(1, -1);
  assert.equal(middle.length % 2, 0, `history of ${id}: ${history}`);
  for (let index = 0; index < middle.length; index += 2) {
    assert.deepEqual(middle.slice(index, index + 2), [
      "PROCESSING->PENDING",
      "PENDING->PROCESSING",
    ]);
  }
}

/** The one event of a single-recipient notification, delivered once. */
export function assertSingleDelivery(events: Json[], id: number): Json {
  assert.equal(events.length, 1, `one Novu event for notification ${id}`);
  const [event] = events;
  assert.equal(event.transactionId, `xnovu-${id}-0`);
  assert.equal(event.status, "completed", JSON.stringify(event));
  assert.equal(event.payload._xnovu.notification_id, id);
  return event;
}
