/**
 * Issue 7, finding 6: under a storm of timeouts and 5xx answers every retried event goes out
 * again under the same Idempotency-Key, so the emulator (which, like Novu Cloud, runs a
 * repeated transactionId again unless its key replays) counts no second delivery.
 */
import assert from "node:assert/strict";
import { EMULATOR_URL } from "../support/emulator.ts";
import {
  clearFaults,
  connect,
  emulatorEvents,
  insertAsMember,
  recipientIds,
  setFaults,
  uniqueName,
  waitForAllSent,
  withDispatchSettings,
} from "./support/platform.ts";

const NOTIFICATIONS = 40;

Deno.test("a timeout and 5xx storm: every notification SENT, no event delivered twice", async () => {
  const sql = connect();
  try {
    await withDispatchSettings(sql, {
      dispatch_backoff_base_ms: "100",
      dispatch_backoff_cap_ms: "500",
      dispatch_max_attempts: "20",
    }, async () => {
      const before = (await (await fetch(`${EMULATOR_URL}/_emulator/events?limit=1`)).json())
        .counters;
      // Timed-out calls took effect in Novu; only their answers were lost.
      await setFaults({ timeoutRate: 0.3, errorRate: 0.1 });
      const ids = await insertAsMember(
        sql,
        Array.from({ length: NOTIFICATIONS }, (_, index) => ({
          name: uniqueName(`storm-${index}`),
          workflowKey: "default-in-app",
          payload: { body: `storm ${index}` },
          recipients: recipientIds(1),
        })),
      );
      await waitForAllSent(sql, ids, 90_000);
      await clearFaults();
      const after = (await (await fetch(`${EMULATOR_URL}/_emulator/events?limit=1`)).json())
        .counters;
      let replays = 0;
      for (const id of ids) {
        const events = await emulatorEvents(id);
        assert.equal(events.length, 1, `notification ${id} delivered once`);
        replays += events[0].duplicates;
      }
      assert.equal(after.redeliveries - before.redeliveries, 0, "no transactionId ran twice");
      console.log(
        `timeout/5xx storm: ${NOTIFICATIONS} SENT, ${
          after.faults.timeouts - before.faults.timeouts
        } timeouts, ${
          after.faults.errors - before.faults.errors
        } 5xx, ${replays} retries answered from Novu's idempotency cache, 0 redeliveries`,
      );
    });
  } finally {
    await clearFaults();
    await sql.end();
  }
});
