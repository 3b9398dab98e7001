/**
 * Issue 7, finding 4: one Novu call hanging until its timeout used to hold the whole
 * dispatcher (a new round waited for the slowest loop of the last). Now a notification of
 * another enterprise inserted while the call hangs is sent before the hanging one settles.
 */
import assert from "node:assert/strict";
import { ENTERPRISE_B } from "../support/env.ts";
import {
  clearFaults,
  connect,
  insertAsMember,
  moves,
  notificationState,
  recipientIds,
  setFaults,
  uniqueName,
  waitForStatus,
} from "./support/platform.ts";

Deno.test("a Novu call hanging until its timeout delays only its own notification", async () => {
  const sql = connect();
  try {
    // The next call is accepted, but its answer is held until the dispatcher gives up (10 s).
    await setFaults({ timeoutNext: 1 });
    const [hanging] = await insertAsMember(sql, [{
      name: uniqueName("hanging"),
      workflowKey: "default-email",
      payload: { subject: "Hanging", body: "Its answer never comes" },
      recipients: recipientIds(1),
    }]);
    await waitForStatus(sql, hanging, "PROCESSING");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const insertedAt = Date.now();
    const [other] = await insertAsMember(sql, [{
      name: uniqueName("beside-hanging"),
      workflowKey: "security-alert",
      payload: { doorName: "Door 9", event: "held open", occurredAt: "now" },
      recipients: recipientIds(1),
    }], ENTERPRISE_B);
    await waitForStatus(sql, other, "SENT");
    const otherLatencyMs = Date.now() - insertedAt;
    // Still on its first attempt: the other notification did not wait for the call to time out.
    assert.equal((await notificationState(sql, hanging)).status, "PROCESSING");
    assert.deepEqual(await moves(sql, hanging), ["PENDING->PROCESSING"]);
    // The hanging call took effect; its retry is answered from Novu's idempotency cache.
    await waitForStatus(sql, hanging, "SENT", 60_000);
    console.log(
      `beside a hanging Novu call: another enterprise's notification SENT in ${otherLatencyMs} ms`,
    );
  } finally {
    await clearFaults();
    await sql.end();
  }
});
