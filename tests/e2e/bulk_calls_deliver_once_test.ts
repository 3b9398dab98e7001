/**
 * Full batches go to Novu in bulk calls (shared/dispatch/bulk.ts). When a bulk call's answer
 * is lost (it took effect; the answer never came) or Novu answers 5xx, the call is only ever
 * resent whole under its key, so Novu replays it and no event runs twice (issue 7, finding 6).
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
  waitFor,
  waitForAllSent,
  withDispatchSettings,
} from "./support/platform.ts";

const NOTIFICATIONS = 400;

const counters = async () =>
  (await (await fetch(`${EMULATOR_URL}/_emulator/events?limit=1`)).json()).counters;

Deno.test("bulk calls whose answers are lost or 5xx: every notification SENT, no event delivered twice", async () => {
  const sql = connect();
  try {
    await withDispatchSettings(sql, {
      dispatch_backoff_base_ms: "100",
      dispatch_backoff_cap_ms: "500",
      dispatch_max_attempts: "20",
    }, async () => {
      const before = await counters();
      // The first call fails (5xx, nothing ran); the next two take effect and lose their answers.
      await setFaults({ failNext: 1, timeoutNext: 2 });
      const ids = await insertAsMember(
        sql,
        Array.from({ length: NOTIFICATIONS }, (_, index) => ({
          name: uniqueName(`bulk-storm-${index}`),
          workflowKey: "default-in-app",
          payload: { body: `bulk storm ${index}` },
          recipients: recipientIds(1),
        })),
      );
      await waitForAllSent(sql, ids, 120_000);
      await clearFaults();
      const after = await counters();
      assert.ok(after.bulkCalls - before.bulkCalls >= 4, "full batches went in bulk calls");
      assert.equal(after.faults.timeouts - before.faults.timeouts, 2, "two answers were lost");
      // Each lost call's resend was answered from Novu's idempotency cache: 100 events each.
      assert.ok(after.duplicates - before.duplicates >= 200, "the lost calls were replayed");
      for (const id of ids) {
        assert.equal((await emulatorEvents(id)).length, 1, `notification ${id} delivered once`);
      }
      assert.equal(after.redeliveries - before.redeliveries, 0, "no transactionId ran twice");
      const [{ open }] = await sql<{ open: number }[]>`
        select count(*)::int as open from notify_internal.novu_bulk_request
         where notification_ids && ${ids}::bigint[]`;
      assert.equal(open, 0, "every bulk request is forgotten once its notifications are SENT");
      console.log(
        `bulk calls: ${NOTIFICATIONS} SENT in ${after.bulkCalls - before.bulkCalls} bulk calls, ${
          after.duplicates - before.duplicates
        } events replayed, 0 redeliveries`,
      );
    });
    // Novu runs the accepted workflows after the answers: hundreds of runs the next test's own
    // would otherwise queue behind (its 15 s wait for one finished event timed out so).
    await waitFor(async () => {
      const { pendingWork, pendingWebhooks } = await counters();
      return pendingWork === 0 && pendingWebhooks === 0 ? true : undefined;
    }, { what: "Novu to finish the bulk calls' workflow runs", timeoutMs: 120_000 });
  } finally {
    await clearFaults();
    await sql.end();
  }
});
