import assert from "node:assert/strict";
import postgres from "postgres";
import { executeStep } from "../support/bridge.ts";
import { DB_URL, ENTERPRISE_A, FUNCTIONS_URL, runSuffix } from "../support/env.ts";
import { serviceRoleJwt } from "../support/jwt.ts";

const FRESHNESS_DEADLINE_MS = 1000;
const POLL_INTERVAL_MS = 25;

/** Polls `read` until it returns `expected`; returns how long that took. Fails after 1 s. */
async function waitForBody(read: () => Promise<string>, expected: string): Promise<number> {
  const since = performance.now();
  let last = "";
  while (performance.now() - since <= FRESHNESS_DEADLINE_MS) {
    last = await read();
    if (last === expected) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  assert.fail(`still rendering ${JSON.stringify(last)} 1 s after the edit`);
}

Deno.test("an edited template is rendered within 1 s by the render function and the bridge", async (t) => {
  const sql = postgres(DB_URL, { prepare: false, max: 1, onnotice: () => {} });
  const prefix = `it-cache-${runSuffix()}`;
  const footerKey = `${prefix}-footer`;
  const noticeKey = `${prefix}-notice`;
  const workflowKey = `${prefix}-workflow`;
  const setFooter = (text: string) =>
    sql`update notify.ent_notification_template set body_template = ${text}
         where template_key = ${footerKey}`;
  try {
    await sql`
      insert into notify.ent_notification_template
        (name, template_key, enterprise_id, channel_type, body_template, publish_status)
      values (${prefix + " footer"}, ${footerKey}, null, 'EMAIL', '<p>Footer v1</p>', 'PUBLISH')`;
    await sql`
      insert into notify.ent_notification_template
        (name, template_key, enterprise_id, channel_type, subject_template, body_template,
         publish_status)
      values (${prefix + " notice"}, ${noticeKey}, ${ENTERPRISE_A}, 'EMAIL', 'Notice',
              ${`<p>Notice</p>{{ xnovu_render('${footerKey}') }}`}, 'PUBLISH')`;
    await sql`
      insert into notify.ent_notification_workflow
        (name, workflow_key, workflow_type, publish_status, enterprise_id, default_channels,
         payload_schema, template_overrides)
      values (${"Cache " + prefix}, ${workflowKey}, 'DYNAMIC', 'PUBLISH', ${ENTERPRISE_A},
              '{EMAIL}', ${sql.json({ type: "object", properties: {} })},
              ${sql.json({ EMAIL: noticeKey })})`;

    await t.step("render function", async () => {
      const token = await serviceRoleJwt();
      const read = async () => {
        const response = await fetch(`${FUNCTIONS_URL}/render`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ enterprise_id: ENTERPRISE_A, template: noticeKey }),
        });
        const body = await response.json();
        assert.equal(response.status, 200, JSON.stringify(body));
        return body.body as string;
      };
      // Twice, so the second answer comes from the cache the edit must invalidate.
      assert.equal(await read(), "<p>Notice</p><p>Footer v1</p>");
      assert.equal(await read(), "<p>Notice</p><p>Footer v1</p>");
      await setFooter("<p>Footer v2</p>");
      const elapsed = await waitForBody(read, "<p>Notice</p><p>Footer v2</p>");
      console.log(`render function served the edit after ${elapsed.toFixed(0)} ms`);
    });

    await t.step("bridge execute", async () => {
      const read = async () => {
        const { status, body } = await executeStep({
          workflowId: workflowKey,
          stepId: "email",
          payload: {
            _xnovu: { notification_id: 78, enterprise_id: ENTERPRISE_A, channels: ["EMAIL"] },
          },
        });
        assert.equal(status, 200, JSON.stringify(body));
        return body.outputs.body as string;
      };
      assert.equal(await read(), "<p>Notice</p><p>Footer v2</p>");
      assert.equal(await read(), "<p>Notice</p><p>Footer v2</p>");
      await setFooter("<p>Footer v3</p>");
      const elapsed = await waitForBody(read, "<p>Notice</p><p>Footer v3</p>");
      console.log(`bridge served the edit after ${elapsed.toFixed(0)} ms`);
    });
  } finally {
    await sql`delete from notify.ent_notification_workflow where workflow_key = ${workflowKey}`;
    await sql`delete from notify.ent_notification_template
               where template_key in (${noticeKey}, ${footerKey})`;
    await sql.end();
  }
});
