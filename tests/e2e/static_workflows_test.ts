import assert from "node:assert/strict";
import { ENTERPRISE_A } from "../support/env.ts";
import { assertDeliveredHistory, assertSingleDelivery } from "./support/assertions.ts";
import {
  asMember,
  connect,
  insertAsMember,
  invokeTrigger,
  MEMBER_ID,
  type NotificationInput,
  recipientIds,
  stepsOf,
  uniqueName,
  waitForFinishedEvents,
  waitForStatus,
} from "./support/platform.ts";

/** Each static workflow with a payload and what every step must render from it. */
const CASES: Array<{
  workflowKey: string;
  payload: Record<string, unknown>;
  rendered: Record<string, Record<string, string>>;
}> = [
  {
    workflowKey: "default-email",
    payload: { subject: "Water shut-off", body: "Water is off from 9 to 11 & back at <noon>" },
    rendered: {
      email: {
        subject: "Water shut-off",
        body: "<p>Water is off from 9 to 11 &amp; back at &lt;noon&gt;</p>",
      },
    },
  },
  {
    workflowKey: "default-in-app",
    payload: { subject: "Parcel", body: "A parcel is waiting at the desk" },
    rendered: {
      "in-app": { subject: "Parcel", body: "<p>A parcel is waiting at the desk</p>" },
    },
  },
  {
    workflowKey: "default-sms",
    payload: { body: "Door code changed to 4821 & valid today" },
    rendered: { sms: { body: "Door code changed to 4821 & valid today" } },
  },
  {
    workflowKey: "default-push",
    payload: { subject: "Gym", body: "The gym reopens at 6" },
    rendered: { push: { subject: "Gym", body: "The gym reopens at 6" } },
  },
  {
    workflowKey: "default-chat",
    payload: { body: "Roof access closed today" },
    rendered: { chat: { body: "Roof access closed today" } },
  },
  {
    workflowKey: "default-multi-channel",
    payload: { subject: "Heating", body: "Heating test at 10" },
    rendered: {
      email: { subject: "Heating", body: "<p>Heating test at 10</p>" },
      "in-app": { subject: "Heating", body: "<p>Heating test at 10</p>" },
      sms: { body: "Heating: Heating test at 10" },
      push: { subject: "Heating", body: "Heating test at 10" },
      chat: { body: "Heating: Heating test at 10" },
    },
  },
  {
    workflowKey: "fire-emergency-alert",
    payload: {
      building: "Tower A",
      floor: "B2",
      severity: "CRITICAL",
      instructions: "Use the east stairs",
    },
    rendered: {
      email: {
        subject: "FIRE ALERT (CRITICAL): Tower A, floor B2",
        body: "<h1>Fire alert: Tower A</h1><p>Floor B2, severity CRITICAL.</p>" +
          "<p>Use the east stairs</p>",
      },
      "in-app": {
        subject: "Fire alert: Tower A",
        body: "<p><strong>Floor B2</strong> (CRITICAL): Use the east stairs</p>",
      },
      sms: { body: "FIRE ALERT CRITICAL Tower A floor B2: Use the east stairs" },
      push: { subject: "Fire alert: Tower A", body: "Floor B2 (CRITICAL): Use the east stairs" },
      chat: { body: "FIRE ALERT (CRITICAL) Tower A, floor B2. Use the east stairs" },
    },
  },
];

Deno.test("static workflows inserted by a member in one statement: sent once, rendered", async (t) => {
  const sql = connect();
  try {
    const [recipient] = recipientIds(1);
    const inputs: NotificationInput[] = CASES.map((testCase) => ({
      name: uniqueName(testCase.workflowKey),
      workflowKey: testCase.workflowKey,
      payload: testCase.payload,
      recipients: [recipient],
    }));
    const ids = await insertAsMember(sql, inputs);
    for (const [index, testCase] of CASES.entries()) {
      await t.step(testCase.workflowKey, async () => {
        const id = ids[index];
        const row = await waitForStatus(sql, id, "SENT");
        assert.equal(row.transaction_id, `xnovu-${id}-0`);
        assert.ok(row.processed_at instanceof Date, "processed_at is set");
        await assertDeliveredHistory(sql, id);
        const event = assertSingleDelivery(await waitForFinishedEvents(id), id);
        assert.equal(event.workflowId, testCase.workflowKey);
        assert.equal(event.payload._xnovu.enterprise_id, ENTERPRISE_A);
        assert.equal(event.recipients[0].subscriberId, recipient);
        const steps = stepsOf(event);
        assert.deepEqual(Object.keys(steps).sort(), Object.keys(testCase.rendered).sort());
        for (const [stepId, outputs] of Object.entries(testCase.rendered)) {
          assert.equal(
            steps[stepId].status,
            "executed",
            `${stepId}: ${JSON.stringify(steps[stepId])}`,
          );
          assert.deepEqual(steps[stepId].outputs, outputs, stepId);
        }
      });
    }
  } finally {
    await sql.end();
  }
});

Deno.test("a static workflow through the trigger function: sent, rendered, created by the member", async () => {
  const sql = connect();
  try {
    const recipients = recipientIds(2);
    const response = await invokeTrigger({
      enterprise_id: ENTERPRISE_A,
      workflow_key: "default-multi-channel",
      recipients,
      channels: ["EMAIL", "SMS"],
      payload: { subject: "Lift 3", body: "Back in service" },
      name: uniqueName("trigger-static"),
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.equal(response.body.status, "PENDING");
    const id = Number(response.body.id);
    const row = await waitForStatus(sql, id, "SENT");
    assert.equal(row.transaction_id, `xnovu-${id}-0`);
    await assertDeliveredHistory(sql, id);
    const [created] =
      await sql`select created_by::text from notify.ent_notification where id = ${id}`;
    assert.notEqual(created.created_by, MEMBER_ID, "the trigger's JWT subject, not the SQL member");

    const event = assertSingleDelivery(await waitForFinishedEvents(id), id);
    assert.deepEqual(
      event.recipients.map((recipient: { subscriberId: string }) => recipient.subscriberId),
      recipients,
    );
    for (const recipientIndex of [0, 1]) {
      const steps = stepsOf(event, recipientIndex);
      assert.deepEqual(steps.email.outputs, { subject: "Lift 3", body: "<p>Back in service</p>" });
      assert.deepEqual(steps.sms.outputs, { body: "Lift 3: Back in service" });
      for (const skipped of ["in-app", "push", "chat"]) {
        assert.equal(steps[skipped].status, "skipped", skipped);
        assert.equal(steps[skipped].outputs, undefined, `${skipped} rendered nothing`);
      }
    }
  } finally {
    await sql.end();
  }
});

Deno.test("a platform insert that leaves channels out is delivered on an EMAIL-only workflow's channel", async () => {
  const sql = connect();
  try {
    const name = uniqueName("channels-left-out");
    // As the management platform inserts: no channels column, so its default {IN_APP}.
    const [{ id }] = await asMember(
      sql,
      (tx) =>
        tx<{ id: string }[]>`
          insert into notify.ent_notification
            (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients)
          select ${name}, ${ENTERPRISE_A}::uuid, w.id, 'PUBLISH',
                 ${sql.json({ subject: "Lift test", body: "Lift test at 10" })},
                 ${recipientIds(1)}::uuid[]
            from notify.ent_notification_workflow w where w.workflow_key = 'default-email'
          returning id::text`,
    );
    await waitForStatus(sql, Number(id), "SENT");
    const [{ channels }] = await sql<{ channels: string }[]>`
      select channels::text from notify.ent_notification where id = ${id}::bigint`;
    assert.equal(channels, "{EMAIL}", "the row shows the channels it was sent on");
    await assertDeliveredHistory(sql, Number(id));
    const event = assertSingleDelivery(await waitForFinishedEvents(Number(id)), Number(id));
    assert.deepEqual(stepsOf(event).email.outputs, {
      subject: "Lift test",
      body: "<p>Lift test at 10</p>",
    });
  } finally {
    await sql.end();
  }
});
