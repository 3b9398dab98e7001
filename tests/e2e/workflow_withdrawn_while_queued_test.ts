/**
 * Issue 11: unpublishing or deleting a DYNAMIC workflow while Novu still held events of it made
 * each fail at the bridge, unseen by XNovu. Novu Cloud runs an event it holds by calling the
 * bridge's `execute` for each step, on the workflow it was synced with; here that call is made
 * as Novu Cloud makes it (signed, the event's payload with its `_xnovu` envelope) after the
 * notification was sent and its workflow withdrawn.
 */
import assert from "node:assert/strict";
import { ENTERPRISE_A } from "../support/env.ts";
import { callBridge, executeStep } from "../support/bridge.ts";
import {
  asMember,
  connect,
  insertAsMember,
  recipientIds,
  type Sql,
  uniqueName,
  waitFor,
  waitForStatus,
} from "./support/platform.ts";

const PAYLOAD = { title: "Boiler", date: "2026-12-05", buildingName: "Tower A" };
const RENDERED = "Maintenance: Boiler on 2026-12-05 in Tower A - Acme Towers";

async function sentNotificationOfNewWorkflow(sql: Sql) {
  const workflowKey = uniqueName("withdrawn");
  await asMember(sql, (tx) =>
    tx`
    insert into notify.ent_notification_workflow
      (name, workflow_key, workflow_type, default_channels, template_overrides, enterprise_id,
       publish_status)
    values (${workflowKey}, ${workflowKey}, 'DYNAMIC', '{SMS}',
            '{"SMS": "acme-maintenance-sms"}', ${ENTERPRISE_A}, 'PUBLISH')`);
  const [id] = await insertAsMember(sql, [{
    name: uniqueName("withdrawn-notification"),
    workflowKey,
    payload: PAYLOAD,
    recipients: recipientIds(1),
  }]);
  await waitForStatus(sql, id, "SENT");
  return { workflowKey, id };
}

/** Until the bridge's discover no longer lists the workflow (it rereads rows every 0.5 s). */
function waitUntilNotDiscovered(workflowKey: string) {
  return waitFor(async () => {
    const discover = await callBridge({ query: { action: "discover" } });
    assert.equal(discover.status, 200);
    const keys = discover.body.workflows.map((workflow: { workflowId: string }) =>
      workflow.workflowId
    );
    return keys.includes(workflowKey) ? undefined : true;
  }, { what: `${workflowKey} to leave discover`, timeoutMs: 10_000 });
}

/** The step execution Novu Cloud makes for the notification's event. */
function executeAsNovu(workflowKey: string, notificationId: number) {
  return executeStep({
    workflowId: workflowKey,
    stepId: "sms",
    payload: {
      ...PAYLOAD,
      _xnovu: { notification_id: notificationId, enterprise_id: ENTERPRISE_A, channels: ["SMS"] },
    },
  });
}

for (
  const [withdrawal, statement] of [
    ["unpublished", "update notify.ent_notification_workflow set publish_status = 'DRAFT'"],
    ["deleted", "delete from notify.ent_notification_workflow"],
  ] as const
) {
  Deno.test(`a workflow ${withdrawal} while Novu holds events: those events still run on it as it was`, async () => {
    const sql = connect();
    try {
      const { workflowKey, id } = await sentNotificationOfNewWorkflow(sql);
      await asMember(sql, (tx) => tx.unsafe(`${statement} where workflow_key = $1`, [workflowKey]));
      await waitUntilNotDiscovered(workflowKey);

      const queued = await executeAsNovu(workflowKey, id);
      assert.equal(queued.status, 200, JSON.stringify(queued.body));
      assert.deepEqual(queued.body.outputs, { body: RENDERED });

      // A notification sent after the withdrawal gets nothing from it (as before the change).
      const [other] = await insertAsMember(sql, [{
        name: uniqueName("not-sent-on-it"),
        workflowKey: "default-sms",
        payload: { body: "other" },
        recipients: recipientIds(1),
      }]);
      await waitForStatus(sql, other, "SENT");
      const refused = await executeAsNovu(workflowKey, other);
      assert.notEqual(refused.status, 200, JSON.stringify(refused.body));
    } finally {
      await sql.end();
    }
  });
}
