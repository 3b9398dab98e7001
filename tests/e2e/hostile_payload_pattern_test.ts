/**
 * Issue 7, finding 3: a member-written `payload_schema` pattern with catastrophic backtracking
 * (`^(a+)+$`) against a 31-character payload held the functions server for 47 s, so every
 * enterprise waited. Patterns now run on RE2 (linear time): the row fails payload validation at
 * once, and another enterprise's notification inserted beside it is delivered meanwhile.
 */
import assert from "node:assert/strict";
import { ENTERPRISE_A, ENTERPRISE_B } from "../support/env.ts";
import {
  connect,
  insertAsMember,
  recipientIds,
  uniqueName,
  waitForStatus,
} from "./support/platform.ts";

Deno.test("a backtracking payload_schema pattern fails its row at once; another enterprise's is sent meanwhile", async () => {
  const sql = connect();
  const workflowKey = uniqueName("redos");
  try {
    await sql`
      insert into notify.ent_notification_workflow
        (name, workflow_key, workflow_type, default_channels, template_overrides, enterprise_id,
         publish_status, payload_schema)
      select ${workflowKey}, ${workflowKey}, 'DYNAMIC', '{EMAIL}',
             jsonb_build_object('emailTemplateId', email.id), ${ENTERPRISE_A}::uuid, 'PUBLISH',
             ${
      sql.json({
        type: "object",
        properties: { code: { type: "string", pattern: "^(a+)+$" } },
        required: ["code"],
      })
    }
        from notify.ent_notification_template email
       where email.template_key = 'acme-maintenance-email'`;
    const started = performance.now();
    const [hostile] = await insertAsMember(sql, [{
      name: uniqueName("redos-notification"),
      workflowKey,
      // 30 a's and a mismatch: a backtracking engine tries 2^30 ways before saying no.
      payload: { code: `${"a".repeat(30)}!` },
      recipients: recipientIds(1),
    }]);
    const [innocent] = await insertAsMember(sql, [{
      name: uniqueName("beside-redos"),
      workflowKey: "security-alert",
      payload: { doorName: "Door 4", event: "forced open", occurredAt: "now" },
      recipients: recipientIds(1),
    }], ENTERPRISE_B);
    await waitForStatus(sql, innocent, "SENT");
    const innocentLatencyMs = Math.round(performance.now() - started);
    const failed = await waitForStatus(sql, hostile, "FAILED");
    assert.equal(failed.error_details.kind, "payload_invalid");
    assert.match(failed.error_details.message, /pattern/);
    assert.equal(failed.error_details.attempts, 1, "failed at once, not retried");
    console.log(
      `enterprise B's notification beside a backtracking pattern: SENT ${innocentLatencyMs} ms after insert`,
    );
  } finally {
    await sql`delete from notify.ent_notification_workflow where workflow_key = ${workflowKey}`;
    await sql.end();
  }
});
