/**
 * The bulk trigger ledger's adapter against the real database: a recorded request reads back
 * exactly as it was sent (Novu compares a resend's body with the first call's, so key order
 * matters), and stays open while a notification of it may still be sent.
 */
import assert from "node:assert/strict";
import { createDbClient } from "../../shared/db/client.ts";
import { createPostgresBulkLedger } from "../../shared/dispatch/adapters/bulk-ledger.ts";
import type { BulkRequest } from "../../shared/dispatch/bulk.ts";
import { DB_URL, ENTERPRISE_A, runSuffix } from "../support/env.ts";

Deno.test("a recorded bulk request reads back byte for byte, and closes once its notifications are settled", async () => {
  const sql = createDbClient(DB_URL, { max: 1 });
  const ledger = createPostgresBulkLedger(sql);
  const suffix = runSuffix();
  try {
    const [{ id }] = await sql<{ id: string }[]>`
      insert into notify.ent_notification
        (name, enterprise_id, notification_workflow_id, payload, recipients, publish_status)
      select ${`bulk-ledger-${suffix}`}, ${ENTERPRISE_A}::uuid, w.id, '{}'::jsonb,
             array[gen_random_uuid()], 'DRAFT'
        from notify.ent_notification_workflow w
       where w.workflow_key = 'default-email'
      returning id::text`;
    const notificationId = Number(id);
    const request: BulkRequest = {
      idempotencyKey: `xnovu-bulk-${suffix}`,
      notificationIds: [notificationId],
      triggers: [{
        workflowId: "default-email",
        to: ["subscriber-1"],
        // Keys in an order jsonb would not keep, and text jsonb would normalise.
        payload: { zeta: 1, alpha: { "b": "two", "a": "é \u2028" }, big: 1e21 },
        transactionId: `xnovu-${notificationId}-0`,
      }],
    };
    await ledger.record(request);
    const [found] = await ledger.open([notificationId, -1]);
    assert.equal(JSON.stringify(found), JSON.stringify(request));

    // A request Novu refused whole on its first send is forgotten, whatever its notifications.
    const refused = { ...request, idempotencyKey: `xnovu-bulk-refused-${suffix}` };
    await ledger.record(refused);
    await ledger.forget(refused.idempotencyKey);
    assert.deepEqual(
      (await ledger.open([notificationId])).map((each) => each.idempotencyKey),
      [request.idempotencyKey],
    );

    // Still PENDING: it may be sent again, so the request stays.
    await ledger.close([request.idempotencyKey]);
    assert.equal((await ledger.open([notificationId])).length, 1);
    // Retracted: nothing of it can be sent again.
    await sql`select notify.cancel_notification(${notificationId}::bigint, 'test over')`;
    await ledger.close([request.idempotencyKey]);
    assert.deepEqual(await ledger.open([notificationId]), []);
  } finally {
    await sql`delete from notify.ent_notification where name = ${`bulk-ledger-${suffix}`}`;
    await sql.end();
  }
});
