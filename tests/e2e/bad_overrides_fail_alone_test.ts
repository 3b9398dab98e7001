/**
 * Issue 7, finding 5: one enterprise's bad row used to fail another's. Rows whose `overrides`
 * Novu's API schema refuses (`overrides.email` must be an object; the database stores any
 * JSON object) made the SDK reject a whole bulk call, and innocent rows of another enterprise
 * in it FAILED with that error or were retried. Each event is now its own call: the bad rows
 * fail alone, at once, and every innocent row is sent.
 */
import assert from "node:assert/strict";
import { ENTERPRISE_B } from "../support/env.ts";
import {
  connect,
  insertAsMember,
  recipientIds,
  uniqueName,
  waitForStatus,
} from "./support/platform.ts";

Deno.test("rows with overrides Novu refuses fail alone; another enterprise's rows beside them are all sent", async () => {
  const sql = connect();
  try {
    const bad = await insertAsMember(
      sql,
      Array.from({ length: 10 }, (_, index) => ({
        name: uniqueName(`bad-overrides-${index}`),
        workflowKey: "default-email",
        payload: { subject: "Bad overrides", body: "Novu refuses these" },
        recipients: recipientIds(1),
        overrides: { email: "x" },
      })),
    );
    const innocent = await insertAsMember(
      sql,
      Array.from({ length: 30 }, (_, index) => ({
        name: uniqueName(`beside-bad-overrides-${index}`),
        workflowKey: "security-alert",
        payload: { doorName: `Door ${index}`, event: "forced open", occurredAt: "now" },
        recipients: recipientIds(1),
      })),
      ENTERPRISE_B,
    );
    for (const id of innocent) {
      const row = await waitForStatus(sql, id, "SENT");
      assert.equal(row.error_details, null, `notification ${id} carries no error`);
    }
    for (const id of bad) {
      const row = await waitForStatus(sql, id, "FAILED");
      assert.equal(row.error_details.kind, "novu_rejected");
      assert.equal(row.error_details.attempts, 1, "refused at once, not retried");
      assert.match(row.error_details.message, /Novu's API schema refuses the trigger/);
    }
    const [{ retried }] = await sql<{ retried: number }[]>`
      select count(*)::int as retried from notify.notification_status_history
       where notification_id = any (${innocent}::bigint[]) and to_status = 'PENDING'
         and from_status = 'PROCESSING'`;
    assert.equal(retried, 0, "no innocent row was retried");
  } finally {
    await sql.end();
  }
});
