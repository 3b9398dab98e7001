import assert from "node:assert/strict";
import { ENTERPRISE_A } from "../support/env.ts";
import { callBridge } from "../support/bridge.ts";
import { assertDeliveredHistory, assertSingleDelivery } from "./support/assertions.ts";
import {
  asMember,
  connect,
  insertAsMember,
  invokeTrigger,
  recipientIds,
  stepsOf,
  uniqueName,
  waitFor,
  waitForFinishedEvents,
  waitForStatus,
} from "./support/platform.ts";

const MAINTENANCE = {
  title: "Elevator B service",
  date: "2026-12-01",
  buildingName: "Acme Tower A",
  recipientName: "Ada",
};

Deno.test("dynamic workflow with nested and shared templates: Acme's email carries signature and shared footer", async () => {
  const sql = connect();
  try {
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("dynamic"),
      workflowKey: "building-maintenance",
      payload: MAINTENANCE,
      recipients: recipientIds(1),
    }]);
    const row = await waitForStatus(sql, id, "SENT");
    assert.equal(row.transaction_id, `xnovu-${id}-0`);
    await assertDeliveredHistory(sql, id);
    const event = assertSingleDelivery(await waitForFinishedEvents(id), id);
    assert.equal(event.workflowId, "building-maintenance");
    const steps = stepsOf(event);
    assert.deepEqual(Object.keys(steps), ["email", "in-app", "sms"]);
    assert.deepEqual(steps.email.outputs, {
      subject: "Maintenance: Elevator B service on 2026-12-01",
      body: "<p>Hello Ada,</p><p>Elevator B service is planned on 2026-12-01 in Acme Tower A.</p>" +
        "<p>Facilities team, Acme Tower A</p>" +
        "<footer><p>Acme Towers · building services</p>" +
        "<p>You receive this because you are a resident or tenant.</p></footer>",
    });
    assert.equal(
      steps["in-app"].outputs.body,
      "<strong>Elevator B service</strong> on 2026-12-01 in Acme Tower A",
    );
    assert.deepEqual(steps.sms.outputs, {
      body: "Maintenance: Elevator B service on 2026-12-01 in Acme Tower A - Acme Towers",
    });
  } finally {
    await sql.end();
  }
});

Deno.test("a channels subset through the trigger function: only IN_APP runs, EMAIL and SMS are skipped", async () => {
  const sql = connect();
  try {
    const response = await invokeTrigger({
      enterprise_id: ENTERPRISE_A,
      workflow_key: "building-maintenance",
      recipients: recipientIds(1),
      channels: ["IN_APP"],
      payload: MAINTENANCE,
      name: uniqueName("subset"),
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const id = Number(response.body.id);
    await waitForStatus(sql, id, "SENT");
    await assertDeliveredHistory(sql, id);
    const event = assertSingleDelivery(await waitForFinishedEvents(id), id);
    assert.deepEqual(event.payload._xnovu.channels, ["IN_APP"]);
    const steps = stepsOf(event);
    assert.equal(steps["in-app"].status, "executed");
    assert.equal(
      steps["in-app"].outputs.body,
      "<strong>Elevator B service</strong> on 2026-12-01 in Acme Tower A",
    );
    for (const skipped of ["email", "sms"]) {
      assert.equal(steps[skipped].status, "skipped", skipped);
      assert.equal(steps[skipped].outputs, undefined, `${skipped} rendered nothing`);
    }
  } finally {
    await sql.end();
  }
});

Deno.test("250 recipients: three Novu triggers of 100, 100 and 50 with chunk transaction ids", async () => {
  const sql = connect();
  try {
    const recipients = recipientIds(250);
    const response = await invokeTrigger({
      enterprise_id: ENTERPRISE_A,
      workflow_key: "default-sms",
      recipients,
      payload: { body: "Fire drill at noon" },
      name: uniqueName("chunks"),
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const id = Number(response.body.id);
    const row = await waitForStatus(sql, id, "SENT");
    assert.equal(row.transaction_id, `xnovu-${id}-0`);
    await assertDeliveredHistory(sql, id);
    const events = (await waitForFinishedEvents(id, 3, 30_000))
      .sort((a, b) => a.transactionId.localeCompare(b.transactionId));
    assert.deepEqual(events.map((event) => event.transactionId), [
      `xnovu-${id}-0`,
      `xnovu-${id}-1`,
      `xnovu-${id}-2`,
    ]);
    const chunks = [recipients.slice(0, 100), recipients.slice(100, 200), recipients.slice(200)];
    for (const [index, event] of events.entries()) {
      assert.equal(event.status, "completed", event.transactionId);
      assert.equal(event.duplicates, 0, event.transactionId);
      assert.deepEqual(
        event.recipients.map((recipient: { subscriberId: string }) => recipient.subscriberId),
        chunks[index],
      );
      for (const recipientIndex of [0, event.recipients.length - 1]) {
        assert.deepEqual(stepsOf(event, recipientIndex).sms.outputs, {
          body: "Fire drill at noon",
        });
      }
    }
    assert.deepEqual(events.map((event) => event.recipients.length), [100, 100, 50]);
    // What a caller needs to cancel every Novu event of the row itself.
    const [{ ids }] = await asMember(
      sql,
      (tx) => tx<{ ids: string[] }[]>`select notify.novu_transaction_ids(${id}) as ids`,
    );
    assert.deepEqual(ids, events.map((event) => event.transactionId));
  } finally {
    await sql.end();
  }
});

Deno.test("a workflow saved in seed 03's shape ({emailTemplateId, smsTemplateId}) is delivered on those templates", async () => {
  const sql = connect();
  const workflowKey = uniqueName("seed-shape");
  try {
    await sql`
      insert into notify.ent_notification_workflow
        (name, workflow_key, workflow_type, default_channels, template_overrides, enterprise_id,
         publish_status)
      select ${workflowKey}, ${workflowKey}, 'DYNAMIC', '{EMAIL,SMS}',
             jsonb_build_object('emailTemplateId', email.id, 'smsTemplateId', sms.id),
             ${ENTERPRISE_A}::uuid, 'PUBLISH'
        from notify.ent_notification_template email, notify.ent_notification_template sms
       where email.template_key = 'acme-maintenance-email'
         and sms.template_key = 'acme-maintenance-sms'`;
    // Novu runs only workflows the bridge lists: wait until discover shows the new row.
    await waitFor(async () => {
      const { body } = await callBridge({ query: { action: "discover" } });
      return body.workflows.some((workflow: { workflowId: string }) =>
          workflow.workflowId === workflowKey
        )
        ? true
        : undefined;
    }, { what: `workflow ${workflowKey} in the bridge's discover`, timeoutMs: 10_000 });
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("seed-shape-notification"),
      workflowKey,
      payload: MAINTENANCE,
      recipients: recipientIds(1),
      channels: ["EMAIL", "SMS"],
    }]);
    await waitForStatus(sql, id, "SENT");
    await assertDeliveredHistory(sql, id);
    const steps = stepsOf(assertSingleDelivery(await waitForFinishedEvents(id), id));
    assert.deepEqual(Object.keys(steps), ["email", "sms"]);
    assert.equal(steps.email.outputs.subject, "Maintenance: Elevator B service on 2026-12-01");
    assert.deepEqual(steps.sms.outputs, {
      body: "Maintenance: Elevator B service on 2026-12-01 in Acme Tower A - Acme Towers",
    });
  } finally {
    await sql`delete from notify.ent_notification_workflow where workflow_key = ${workflowKey}`;
    await sql.end();
  }
});
