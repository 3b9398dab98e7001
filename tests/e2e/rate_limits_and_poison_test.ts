/**
 * Issue 7, findings 2 and 7: a 429 is Novu asking to wait, so a storm of them spends no
 * attempt and ends SENT; a notification whose processing died on every attempt is FAILED
 * with kind "poison" instead of staying PROCESSING for ever.
 */
import assert from "node:assert/strict";
import { assertSingleDelivery } from "./support/assertions.ts";
import { dispatchMessages } from "../support/dispatch-queues.ts";
import {
  clearFaults,
  connect,
  history,
  insertAsMember,
  recipientIds,
  setFaults,
  uniqueName,
  waitForFinishedEvents,
  waitForStatus,
  withDispatchSettings,
} from "./support/platform.ts";

Deno.test("a 429 storm longer than the attempt limit: SENT once, no attempt spent, none FAILED", async () => {
  const sql = connect();
  try {
    await withDispatchSettings(sql, { dispatch_max_attempts: "2" }, async () => {
      // Four 429s in a row, twice the attempt limit.
      await setFaults({ rateLimitNext: 4, rateLimit: { rate: 0, retryAfterSeconds: 1 } });
      const [id] = await insertAsMember(sql, [{
        name: uniqueName("429-storm"),
        workflowKey: "default-email",
        payload: { subject: "Storm", body: "Rate limited four times" },
        recipients: recipientIds(1),
      }]);
      const sent = await waitForStatus(sql, id, "SENT", 30_000);
      assert.equal(sent.transaction_id, `xnovu-${id}-0`);
      const waits = (await history(sql, id)).filter((entry) =>
        entry.move === "PROCESSING->PENDING"
      );
      assert.equal(waits.length, 4);
      for (const wait of waits) {
        assert.equal(wait.details.error_details.kind, "novu_rate_limited");
        assert.equal(wait.details.error_details.attempts, 0, "a 429 spends no attempt");
      }
      assertSingleDelivery(await waitForFinishedEvents(id), id);
    });
  } finally {
    await clearFaults();
    await sql.end();
  }
});

Deno.test("a notification whose processing died on every attempt is FAILED as poison", async () => {
  const sql = connect();
  try {
    // Published as a draft first, so the dispatcher does not see it before the scene is set.
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("poison"),
      workflowKey: "default-email",
      payload: { subject: "Poison", body: "Died five times" },
      recipients: recipientIds(1),
      publishStatus: "DRAFT",
    }]);
    // What five dead attempts leave behind: the row claimed (PROCESSING) and its message read
    // five times, never settled.
    await sql.begin(async (tx) => {
      await tx`update notify.ent_notification set publish_status = 'PUBLISH' where id = ${id}`;
      await tx`select notify_internal.claim_notifications(array[${id}]::bigint[])`;
      // In the intake, or in its enterprise's lane once that exists.
      const [{ queue }] = await dispatchMessages(tx, id);
      await tx.unsafe(
        `update pgmq."q_${queue}" set read_ct = 5, vt = now()
          where (message ->> 'notification_id')::bigint = $1`,
        [id],
      );
    });
    await sql`select notify_internal.kick_dispatcher()`;
    const failed = await waitForStatus(sql, id, "FAILED", 20_000);
    assert.equal(failed.error_details.kind, "poison");
    assert.equal(failed.error_details.attempts, 6);
    assert.match(failed.error_details.message, /stopped without an outcome 5 times/);
  } finally {
    await sql.end();
  }
});
