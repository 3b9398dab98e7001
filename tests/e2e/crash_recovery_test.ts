import assert from "node:assert/strict";
import {
  clearFaults,
  connect,
  EMULATOR_URL,
  insertAsMember,
  type Json,
  killFunctionsServer,
  type NotificationInput,
  platform,
  recipientIds,
  setFaults,
  type Sql,
  startServices,
  uniqueName,
  waitFor,
  withDispatchSettings,
} from "./support/platform.ts";

const NOTIFICATIONS = 300;
/** The whole recovery (visibility timeout, then the next kick or sweep) must fit in this. */
const RECOVERY_DEADLINE_MS = 120_000;

async function statusCounts(sql: Sql, ids: number[]): Promise<Record<string, number>> {
  const rows = await sql<{ status: string; count: number }[]>`
    select notification_status::text as status, count(*)::integer as count
      from notify.ent_notification where id = any (${ids}::bigint[]) group by 1`;
  return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}

/** All emulator events whose transaction id belongs to one of `ids`. */
async function eventsOf(ids: number[]): Promise<Json[]> {
  const wanted = new Set(ids.map((id) => `xnovu-${id}-0`));
  const response = await fetch(`${EMULATOR_URL}/_emulator/events?transactionIdPrefix=xnovu-`);
  const events: Json[] = (await response.json()).events;
  return events.filter((event) => wanted.has(event.transactionId));
}

/**
 * Sends NOTIFICATIONS through a slowed-down Novu, calls `interrupt` once a batch is in flight
 * after the first SENT ones, then checks that every notification ends SENT with exactly one
 * delivery per transactionId.
 */
async function survivesInterruption(label: string, interrupt: () => Promise<void>) {
  const sql = connect();
  try {
    // Small batches and slow Novu answers stretch the run so the interruption lands mid-way;
    // a short visibility timeout brings the interrupted batches' messages back soon.
    const settings = { dispatch_batch_size: "10", dispatch_visibility_timeout_s: "10" };
    await withDispatchSettings(sql, settings, async () => {
      await setFaults({ latencyMs: 250 });
      const [recipient] = recipientIds(1);
      const inputs: NotificationInput[] = Array.from({ length: NOTIFICATIONS }, (_, index) => ({
        name: uniqueName(`${label}-${index}`),
        workflowKey: "default-sms",
        payload: { body: `Crash test ${index}` },
        recipients: [recipient],
      }));
      const ids = await insertAsMember(sql, inputs);

      const before = await waitFor(async () => {
        const counts = await statusCounts(sql, ids);
        // Mid-batch: some SENT, and a batch claimed (PROCESSING) with its Novu call in flight.
        return (counts.SENT ?? 0) >= 30 && (counts.PROCESSING ?? 0) > 0 ? counts : undefined;
      }, { what: "a batch in flight after the first SENT", timeoutMs: 30_000, intervalMs: 20 });
      await interrupt();
      const interruptedAt = Date.now();
      assert.ok(
        (before.SENT ?? 0) < NOTIFICATIONS,
        `interrupted before all were sent: ${JSON.stringify(before)}`,
      );
      await clearFaults();

      const after = await waitFor(async () => {
        const counts = await statusCounts(sql, ids);
        return counts.SENT === NOTIFICATIONS ? counts : undefined;
      }, {
        what: `all ${NOTIFICATIONS} notifications to be SENT`,
        timeoutMs: RECOVERY_DEADLINE_MS,
        intervalMs: 250,
      });
      const recoveredInMs = Date.now() - interruptedAt;
      assert.deepEqual(after, { SENT: NOTIFICATIONS });

      const events = await eventsOf(ids);
      const perTransaction = new Map<string, number>();
      for (const event of events) {
        perTransaction.set(event.transactionId, (perTransaction.get(event.transactionId) ?? 0) + 1);
      }
      assert.equal(perTransaction.size, NOTIFICATIONS, "every notification reached Novu");
      assert.ok(
        [...perTransaction.values()].every((count) => count === 1),
        "exactly one delivery per transactionId",
      );
      const acknowledgedTwice = events.filter((event) => event.duplicates > 0).length;
      console.log(
        `${label}: interrupted with ${before.SENT} of ${NOTIFICATIONS} SENT (${
          JSON.stringify(before)
        }); all SENT ${recoveredInMs} ms later; ` +
          `${acknowledgedTwice} transaction(s) re-triggered and acknowledged without delivery`,
      );
    });
  } finally {
    await clearFaults();
    // Leave the platform running for whatever runs next, whatever happened above.
    await startServices();
    await sql.end();
  }
}

Deno.test("the functions server killed mid-batch: nothing lost, nothing delivered twice", async () => {
  await survivesInterruption("kill", async () => {
    await killFunctionsServer();
    await startServices();
  });
});

Deno.test("the database restarted mid-batch: nothing lost, nothing delivered twice", async () => {
  await survivesInterruption("db-restart", () => platform("db_stop && db_start"));
});
