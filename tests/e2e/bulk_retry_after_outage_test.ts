import assert from "node:assert/strict";
import { ENTERPRISE_B } from "../support/env.ts";
import { assertSingleDelivery } from "./support/assertions.ts";
import {
  asMember,
  clearFaults,
  connect,
  insertAsMember,
  moves,
  recipientIds,
  setFaults,
  uniqueName,
  waitForFinishedEvents,
  waitForStatus,
  withDispatchSettings,
} from "./support/platform.ts";

Deno.test("after a Novu outage a member retries its failures in bulk: each is sent once", async () => {
  const sql = connect();
  try {
    const ids = await withDispatchSettings(
      sql,
      { dispatch_backoff_base_ms: "100", dispatch_max_attempts: "1" },
      async () => {
        await setFaults({ errorRate: 1 });
        const inserted = await insertAsMember(
          sql,
          [1, 2, 3].map((i) => ({
            name: uniqueName(`outage-${i}`),
            workflowKey: "default-email",
            payload: { subject: "After the outage", body: `Retried ${i}` },
            recipients: recipientIds(1),
          })),
        );
        for (const id of inserted) {
          const row = await waitForStatus(sql, id, "FAILED", 20_000);
          assert.equal(row.error_details.kind, "novu_unavailable");
        }
        return inserted;
      },
    );
    await clearFaults();

    const byOtherEnterprise = await asMember(
      sql,
      (tx) =>
        tx`select notification_id from notify.retry_failed_notifications(notification_ids => ${ids}::bigint[])`,
      ENTERPRISE_B,
    );
    assert.deepEqual([...byOtherEnterprise], [], "another enterprise's member retries nothing");

    const retried = await asMember(
      sql,
      (tx) =>
        tx<{ notification_id: string; notification_status: string }[]>`
          select notification_id::text, notification_status::text
            from notify.retry_failed_notifications(
                   notification_ids => ${ids}::bigint[], failure_kind => 'novu_unavailable')`,
    );
    assert.deepEqual(
      retried.map((row) => [Number(row.notification_id), row.notification_status]),
      ids.map((id) => [id, "PENDING"]),
    );
    for (const id of ids) {
      await waitForStatus(sql, id, "SENT", 20_000);
      assert.deepEqual(await moves(sql, id), [
        "PENDING->PROCESSING",
        "PROCESSING->FAILED",
        "FAILED->PENDING",
        "PENDING->PROCESSING",
        "PROCESSING->SENT",
      ]);
      assertSingleDelivery(await waitForFinishedEvents(id), id);
    }
  } finally {
    await clearFaults();
    await sql.end();
  }
});
