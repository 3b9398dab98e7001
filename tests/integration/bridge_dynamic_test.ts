import assert from "node:assert/strict";
import postgres from "postgres";
import { callBridge, executeStep } from "../support/bridge.ts";
import { DB_URL, ENTERPRISE_A, ENTERPRISE_B, runSuffix } from "../support/env.ts";

const VISIBILITY_DEADLINE_MS = 1000;
const POLL_INTERVAL_MS = 25;

interface DiscoveredWorkflow {
  workflowId: string;
  steps: { stepId: string; type: string }[];
  payload: { schema: { required: string[] } };
}

async function discovered(workflowId: string): Promise<DiscoveredWorkflow | undefined> {
  const { status, body } = await callBridge({ query: { action: "discover" } });
  assert.equal(status, 200);
  return body.workflows.find((workflow: DiscoveredWorkflow) => workflow.workflowId === workflowId);
}

/** Polls discover until `accept` holds; returns how long that took. Fails after the deadline. */
async function waitForDiscover(
  workflowId: string,
  accept: (workflow: DiscoveredWorkflow | undefined) => boolean,
  since: number,
): Promise<number> {
  while (true) {
    if (accept(await discovered(workflowId))) return performance.now() - since;
    if (performance.now() - since > VISIBILITY_DEADLINE_MS) {
      assert.fail(`discover did not reflect the change to ${workflowId} within 1 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

const stepsOf = (workflow: DiscoveredWorkflow | undefined) =>
  workflow?.steps.map((step) => [step.stepId, step.type]);

Deno.test("dynamic workflow rows: discover within 1 s, render enterprise templates, skip channels", async (t) => {
  const sql = postgres(DB_URL, { prepare: false, max: 1, onnotice: () => {} });
  const prefix = `it-bridge-${runSuffix()}`;
  const workflowKey = `${prefix}-maintenance`;
  try {
    await sql`
      insert into notify.ent_notification_template
        (name, template_key, enterprise_id, channel_type, subject_template, body_template,
         publish_status)
      values (${prefix + " footer"}, ${prefix + "-footer"}, null, 'EMAIL', null,
              '<p>Facilities team, {{site}}</p>', 'PUBLISH')`;
    await sql`
      insert into notify.ent_notification_template
        (name, template_key, enterprise_id, channel_type, subject_template, body_template,
         publish_status)
      values
        (${prefix + " email"}, ${prefix + "-email"}, ${ENTERPRISE_A}, 'EMAIL',
         'Maintenance in {{building}}',
         ${`<p>Hello {{subscriber.firstName}},</p><p>{{building}} closes at {{time}}.</p>{{ xnovu_render('${prefix}-footer', { site: building }) }}`},
         'PUBLISH'),
        (${prefix + " sms"}, ${prefix + "-sms"}, ${ENTERPRISE_A}, 'SMS', null,
         '{{building}} closes at {{time}}', 'PUBLISH')`;
    const [inApp] = await sql<{ id: string }[]>`
      insert into notify.ent_notification_template
        (name, template_key, enterprise_id, channel_type, subject_template, body_template,
         publish_status)
      values (${prefix + " in-app"}, ${prefix + "-in-app"}, ${ENTERPRISE_A}, 'IN_APP',
              'Maintenance', '<p>{{building}} closes at <b>{{time}}</b></p>', 'PUBLISH')
      returning id::text`;

    const insertedAt = performance.now();
    await sql`
      insert into notify.ent_notification_workflow
        (name, workflow_key, workflow_type, publish_status, enterprise_id, default_channels,
         payload_schema, template_overrides)
      values (${"Maintenance " + prefix}, ${workflowKey}, 'DYNAMIC', 'PUBLISH', ${ENTERPRISE_A},
              '{SMS,EMAIL,IN_APP}',
              ${
      sql.json({
        type: "object",
        properties: { building: { type: "string" }, time: { type: "string" } },
        required: ["building", "time"],
      })
    },
              ${
      sql.json({
        EMAIL: `${prefix}-email`,
        IN_APP: Number(inApp.id),
        SMS: `${prefix}-sms`,
      })
    })`;

    await t.step("a new row is discovered within 1 s with one step per channel", async () => {
      const elapsed = await waitForDiscover(workflowKey, (w) => w !== undefined, insertedAt);
      console.log(`new dynamic workflow discovered after ${elapsed.toFixed(0)} ms`);
      const workflow = await discovered(workflowKey);
      assert.deepEqual(stepsOf(workflow), [
        ["email", "email"],
        ["in-app", "in_app"],
        ["sms", "sms"],
      ]);
      assert.deepEqual(workflow!.payload.schema.required, ["building", "time", "_xnovu"]);
    });

    const payload = {
      building: "Block <C>",
      time: "18:00",
      _xnovu: { notification_id: 77, enterprise_id: ENTERPRISE_A, channels: ["EMAIL", "SMS"] },
    };
    const subscriber = { subscriberId: "subscriber-1", firstName: "Ann" };

    await t.step(
      "each step renders its enterprise template; channels narrow the steps",
      async () => {
        const email = await executeStep({
          workflowId: workflowKey,
          stepId: "email",
          payload,
          subscriber,
        });
        assert.equal(email.status, 200, JSON.stringify(email.body));
        assert.deepEqual(email.body.outputs, {
          subject: "Maintenance in Block <C>",
          body: "<p>Hello Ann,</p><p>Block &lt;C&gt; closes at 18:00.</p>" +
            "<p>Facilities team, Block &lt;C&gt;</p>",
        });
        const inAppStep = await executeStep({
          workflowId: workflowKey,
          stepId: "in-app",
          payload,
          subscriber,
          completedStepIds: ["email"],
        });
        assert.equal(inAppStep.status, 200);
        assert.deepEqual(inAppStep.body.options, { skip: true });
        const sms = await executeStep({
          workflowId: workflowKey,
          stepId: "sms",
          payload,
          subscriber,
          completedStepIds: ["email", "in-app"],
        });
        assert.equal(sms.status, 200);
        assert.deepEqual(sms.body.outputs, { body: "Block <C> closes at 18:00" });
      },
    );

    await t.step(
      "a template named by numeric id renders when its channel is requested",
      async () => {
        const { _xnovu, ...variables } = payload;
        const inAppStep = await executeStep({
          workflowId: workflowKey,
          stepId: "in-app",
          payload: { ...variables, _xnovu: { ..._xnovu, channels: ["IN_APP"] } },
          subscriber,
          completedStepIds: ["email"],
        });
        assert.equal(inAppStep.status, 200, JSON.stringify(inAppStep.body));
        assert.deepEqual(inAppStep.body.outputs, {
          subject: "Maintenance",
          body: "<p>Block &lt;C&gt; closes at <b>18:00</b></p>",
        });
      },
    );

    await t.step("a payload failing the row's schema gets Novu's 400", async () => {
      const { time: _time, ...withoutTime } = payload;
      const { status, body } = await executeStep({
        workflowId: workflowKey,
        stepId: "email",
        payload: withoutTime,
        subscriber,
      });
      assert.equal(status, 400);
      assert.equal(body.code, "ExecutionEventPayloadInvalidError");
    });

    await t.step("another enterprise's notification never renders this workflow", async () => {
      const { status, body } = await executeStep({
        workflowId: workflowKey,
        stepId: "email",
        payload: { ...payload, _xnovu: { ...payload._xnovu, enterprise_id: ENTERPRISE_B } },
        subscriber,
      });
      assert.notEqual(status, 200);
      assert.equal(body.outputs, undefined);
      assert.doesNotMatch(JSON.stringify(body), /closes at/);
    });

    await t.step("an edit shows within 1 s, and deactivation removes it", async () => {
      const editedAt = performance.now();
      await sql`update notify.ent_notification_workflow set default_channels = '{SMS}'
                 where workflow_key = ${workflowKey}`;
      await waitForDiscover(
        workflowKey,
        (w) => JSON.stringify(stepsOf(w)) === JSON.stringify([["sms", "sms"]]),
        editedAt,
      );
      const deactivatedAt = performance.now();
      await sql`update notify.ent_notification_workflow set deactivated = true
                 where workflow_key = ${workflowKey}`;
      await waitForDiscover(workflowKey, (w) => w === undefined, deactivatedAt);
    });
  } finally {
    await sql`delete from notify.ent_notification_workflow where workflow_key = ${workflowKey}`;
    await sql`delete from notify.ent_notification_template
               where template_key in (${prefix + "-email"}, ${prefix + "-sms"}, ${
      prefix + "-in-app"
    })`;
    await sql`delete from notify.ent_notification_template where template_key = ${
      prefix + "-footer"
    }`;
    await sql.end();
  }
});
