/** The Novu emulator's admin API, as the integration and end-to-end tests use it. */
import assert from "node:assert/strict";

export const EMULATOR_URL = Deno.env.get("NOVU_API_URL") ?? "http://127.0.0.1:54329";

// deno-lint-ignore no-explicit-any
type Json = any;

/** The emulator's events of one notification (all its chunks), newest first. */
export async function emulatorEvents(notificationId: number): Promise<Json[]> {
  const response = await fetch(
    `${EMULATOR_URL}/_emulator/events?transactionIdPrefix=${
      encodeURIComponent(`xnovu-${notificationId}-`)
    }`,
  );
  assert.equal(response.status, 200);
  return (await response.json()).events;
}

export async function setFaults(faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${EMULATOR_URL}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
  assert.equal(response.status, 200, await response.text());
}

export const clearFaults = () => setFaults({});
