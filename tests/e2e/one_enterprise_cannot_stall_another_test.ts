/**
 * Issue 7, finding 3: one enterprise's oversized row must not freeze the dispatcher for the
 * others. A 48 KB title on an SMS workflow used to hold the functions server for minutes while
 * its SMS segments were counted; it now fails alone, at once, and another enterprise's
 * notification inserted beside it is delivered meanwhile.
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

Deno.test("a 48 KB SMS title fails its notification alone; another enterprise's is sent meanwhile", async () => {
  const sql = connect();
  try {
    const started = performance.now();
    const [oversized] = await insertAsMember(sql, [{
      name: uniqueName("sms-48kb"),
      workflowKey: "building-maintenance",
      payload: { title: "t".repeat(48 * 1024), date: "today", buildingName: "Tower A" },
      recipients: recipientIds(1),
      channels: ["SMS"],
    }]);
    const [innocent] = await insertAsMember(sql, [{
      name: uniqueName("beside-sms-48kb"),
      workflowKey: "security-alert",
      payload: { doorName: "Door 3", event: "forced open", occurredAt: "now" },
      recipients: recipientIds(1),
    }], ENTERPRISE_B);
    const sent = await waitForStatus(sql, innocent, "SENT");
    const innocentLatencyMs = Math.round(performance.now() - started);
    const failed = await waitForStatus(sql, oversized, "FAILED");
    assert.equal(sent.transaction_id, `xnovu-${innocent}-0`);
    assert.equal(failed.error_details.kind, "template_error");
    assert.match(failed.error_details.message, /more than the 1600 one SMS can carry/);
    assert.equal(failed.error_details.attempts, 1, "failed at once, not retried");
    console.log(
      `enterprise B's notification beside a 48 KB SMS title: SENT ${innocentLatencyMs} ms after insert`,
    );
  } finally {
    await sql.end();
  }
});
