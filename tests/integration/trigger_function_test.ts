import assert from "node:assert/strict";
import { createClient, FunctionsHttpError } from "@supabase/supabase-js";
import postgres from "postgres";
import { DB_URL, ENTERPRISE_A, ENTERPRISE_B, runSuffix } from "../support/env.ts";
import { dispatchMessages } from "../support/dispatch-queues.ts";
import { memberJwt, mintJwt, serviceRoleJwt } from "../support/jwt.ts";

const SUPABASE_URL = Deno.env.get("SUPABASE_URL") ?? "http://127.0.0.1:54321";
/** The Supabase CLI's well-known demo anon key is this token, signed with the local secret. */
const anonKey = async () =>
  Deno.env.get("SUPABASE_ANON_KEY") ?? await mintJwt({ role: "anon", iss: "supabase-demo" });

const RECIPIENTS = [
  "a0000000-0000-4000-8000-000000000001",
  "a0000000-0000-4000-8000-000000000002",
];

/** Calls the function exactly as a platform client would, through supabase-js. */
async function invokeTrigger(body: Record<string, unknown>, jwt: string | null) {
  const key = await anonKey();
  const client = createClient(SUPABASE_URL, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    ...(jwt !== null && { global: { headers: { Authorization: `Bearer ${jwt}` } } }),
  });
  const { data, error } = await client.functions.invoke("trigger", { body });
  if (error === null) return { status: 201, body: data };
  assert.ok(error instanceof FunctionsHttpError, `unexpected invoke error ${error}`);
  const response = error.context as Response;
  return { status: response.status, body: await response.json() };
}

interface NotificationRow {
  name: string;
  enterprise_id: string;
  publish_status: string;
  notification_status: string;
  notification_workflow_id: string;
  recipients: string[];
  channels: string;
  payload: unknown;
  tags: string[] | null;
  overrides: unknown;
  scheduled_for: Date | null;
  created_by: string | null;
}

Deno.test("trigger function through supabase-js: access, validation, pipeline", async (t) => {
  const sql = postgres(DB_URL, { prepare: false, max: 1, onnotice: () => {} });
  const prefix = `it-trigger-${runSuffix()}`;
  const workflowKey = `${prefix}-notice`;
  const createdIds: number[] = [];
  const notificationRow = async (id: number) => {
    const [row] = await sql<NotificationRow[]>`
      select name, enterprise_id::text, publish_status::text, notification_status::text,
             notification_workflow_id::text, recipients::text[], channels::text, payload, tags,
             overrides, scheduled_for, created_by::text
        from notify.ent_notification where id = ${id}`;
    return row;
  };
  // The intake or, once the dispatcher routed it, a lane.
  const queuedMessages = (id: number) => dispatchMessages(sql, id);
  const created = (response: { status: number; body: { id: number; status: string } }) => {
    assert.equal(response.status, 201, JSON.stringify(response.body));
    createdIds.push(response.body.id);
    return response.body;
  };

  try {
    const [workflow] = await sql<{ id: string }[]>`
      insert into notify.ent_notification_workflow
        (name, workflow_key, enterprise_id, workflow_type, publish_status, default_channels)
      values (${workflowKey}, ${workflowKey}, ${ENTERPRISE_A}, 'DYNAMIC', 'PUBLISH',
              '{EMAIL,IN_APP}')
      returning id::text`;
    await sql`
      insert into notify.ent_notification_workflow
        (name, workflow_key, enterprise_id, workflow_type, publish_status, deactivated)
      values
        (${prefix + "-draft"}, ${prefix + "-draft"}, ${ENTERPRISE_A}, 'DYNAMIC', 'DRAFT', false),
        (${prefix + "-off"}, ${prefix + "-off"}, ${ENTERPRISE_A}, 'DYNAMIC', 'PUBLISH', true),
        (${prefix + "-b"}, ${prefix + "-b"}, ${ENTERPRISE_B}, 'DYNAMIC', 'PUBLISH', false)`;
    await sql`
      insert into notify.ent_notification_workflow
        (name, workflow_key, enterprise_id, workflow_type, publish_status, default_channels,
         payload_schema)
      values (${prefix + "-schema"}, ${prefix + "-schema"}, ${ENTERPRISE_A}, 'DYNAMIC', 'PUBLISH',
              '{IN_APP}', ${
      sql.json({
        type: "object",
        required: ["building"],
        properties: { building: { type: "string" }, floor: { type: "integer" } },
        additionalProperties: false,
      })
    })`;
    const request = {
      enterprise_id: ENTERPRISE_A,
      workflow_key: workflowKey,
      recipients: RECIPIENTS,
      payload: { building: "Block C" },
    };

    await t.step(
      "service role creates a PUBLISH notification that enters the pipeline",
      async () => {
        const body = created(await invokeTrigger(request, await serviceRoleJwt()));
        assert.equal(typeof body.id, "number");
        assert.equal(body.status, "PENDING");
        const row = await notificationRow(body.id);
        assert.equal(row.enterprise_id, ENTERPRISE_A);
        assert.equal(row.publish_status, "PUBLISH");
        assert.equal(row.notification_workflow_id, workflow.id);
        assert.deepEqual(row.recipients, RECIPIENTS);
        assert.deepEqual(row.payload, { building: "Block C" });
        assert.equal(row.channels, "{EMAIL,IN_APP}", "omitted channels take the workflow's");
        assert.match(row.name, new RegExp(`^${workflowKey} [0-9a-f-]{36}$`));
        // Either still waiting with its one message, or the dispatcher already took it.
        const messages = await queuedMessages(body.id);
        if (row.notification_status === "PENDING") assert.equal(messages.length, 1);
        else assert.ok(["PROCESSING", "SENT", "FAILED"].includes(row.notification_status));
      },
    );

    await t.step("a scheduled notification waits in the queue until scheduled_for", async () => {
      const scheduledFor = new Date(Date.now() + 3_600_000);
      const body = created(
        await invokeTrigger(
          {
            ...request,
            scheduled_for: scheduledFor.toISOString(),
            channels: ["IN_APP"],
            name: `${prefix} scheduled`,
            tags: ["maintenance"],
            overrides: { sms: { from: "XNovu" } },
          },
          await serviceRoleJwt(),
        ),
      );
      const row = await notificationRow(body.id);
      assert.equal(row.notification_status, "PENDING");
      assert.equal(row.name, `${prefix} scheduled`);
      assert.equal(row.channels, "{IN_APP}");
      assert.deepEqual(row.tags, ["maintenance"]);
      assert.deepEqual(row.overrides, { sms: { from: "XNovu" } });
      assert.equal(row.scheduled_for?.getTime(), scheduledFor.getTime());
      const messages = await queuedMessages(body.id);
      assert.equal(messages.length, 1);
      // The message delay is whole seconds, rounded down: it surfaces at or up to a second
      // before scheduled_for, and the dispatcher holds it until the instant.
      const delayError = messages[0].visible_at.getTime() - scheduledFor.getTime();
      assert.ok(delayError <= 0 && delayError > -1_000, `vt off by ${delayError} ms`);
    });

    await t.step("a repeated name in the enterprise is 409", async () => {
      const response = await invokeTrigger(
        { ...request, name: `${prefix} scheduled` },
        await serviceRoleJwt(),
      );
      assert.equal(response.status, 409);
      assert.equal(response.body.error, "DUPLICATE_NAME");
    });

    await t.step("a member of the enterprise creates one, recorded as theirs", async () => {
      const userId = crypto.randomUUID();
      const jwt = await mintJwt({
        role: "authenticated",
        sub: userId,
        aud: "authenticated",
        app_metadata: { enterprise_ids: [ENTERPRISE_A] },
      });
      const body = created(
        await invokeTrigger(
          { ...request, workflow_key: "default-in-app", payload: { body: "Block C lift" } },
          jwt,
        ),
      );
      assert.equal(body.status, "PENDING");
      const row = await notificationRow(body.id);
      assert.equal(row.enterprise_id, ENTERPRISE_A);
      assert.equal(row.created_by, userId);
      assert.equal(row.channels, "{IN_APP}", "a shared workflow resolves for any enterprise");
    });

    await t.step("a member of another enterprise gets 403 and nothing is created", async () => {
      const before = await sql`select 1 from notify.ent_notification where name like ${
        workflowKey + " %"
      }`;
      const response = await invokeTrigger(request, await memberJwt([ENTERPRISE_B]));
      assert.equal(response.status, 403);
      assert.deepEqual(Object.keys(response.body).sort(), ["error", "message"]);
      assert.equal(response.body.error, "FORBIDDEN");
      const after = await sql`select 1 from notify.ent_notification where name like ${
        workflowKey + " %"
      }`;
      assert.equal(after.length, before.length);
    });

    await t.step(
      "the anon key alone gets 403; no or a forged JWT gets the gateway's 401",
      async () => {
        const anon = await invokeTrigger(request, null);
        assert.equal(anon.status, 403);
        assert.equal(anon.body.error, "FORBIDDEN");
        const forged = await mintJwt(
          { role: "service_role" },
          "a-different-secret-of-at-least-32-chars",
        );
        assert.equal((await invokeTrigger(request, forged)).status, 401);
        const unauthenticated = await fetch(`${SUPABASE_URL}/functions/v1/trigger`, {
          method: "POST",
          body: JSON.stringify(request),
        });
        assert.equal(unauthenticated.status, 401);
        await unauthenticated.body?.cancel();
      },
    );

    await t.step("a bad body is a 400 naming the field", async () => {
      const token = await serviceRoleJwt();
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ ...request, recipients: ["not-a-uuid"] }, /^recipients\.0: /],
        [{ ...request, channels: ["FAX"] }, /^channels\.0: /],
        [{ ...request, scheduled_for: "next week" }, /^scheduled_for: /],
        [{ ...request, enterprise_id: undefined }, /^enterprise_id: Required/],
      ];
      for (const [body, message] of cases) {
        const response = await invokeTrigger(body, token);
        assert.equal(response.status, 400);
        assert.equal(response.body.error, "INVALID_REQUEST");
        assert.match(response.body.message, message);
      }
    });

    await t.step(
      "a payload the workflow's payload_schema refuses is a 422 listing the violations; nothing is stored",
      async () => {
        const refusing = await invokeTrigger(
          {
            ...request,
            workflow_key: `${prefix}-schema`,
            payload: { floor: "third", extra: true },
            name: `${prefix}-refused`,
          },
          await memberJwt([ENTERPRISE_A]),
        );
        assert.equal(refusing.status, 422, JSON.stringify(refusing.body));
        assert.deepEqual(refusing.body, {
          error: "PAYLOAD_INVALID",
          message: "payload does not match payload_schema: payload must have required property " +
            "'building', payload must NOT have additional properties, payload/floor must be integer",
          violations: [
            {
              path: "",
              keyword: "required",
              message: "must have required property 'building'",
              params: { missingProperty: "building" },
            },
            {
              path: "",
              keyword: "additionalProperties",
              message: "must NOT have additional properties",
              params: { additionalProperty: "extra" },
            },
            {
              path: "/floor",
              keyword: "type",
              message: "must be integer",
              params: { type: "integer" },
            },
          ],
        });
        const [{ count }] = await sql<{ count: number }[]>`
          select count(*)::integer as count from notify.ent_notification
           where name = ${prefix + "-refused"}`;
        assert.equal(count, 0, "nothing was stored");
        const accepted = created(
          await invokeTrigger(
            { ...request, workflow_key: `${prefix}-schema`, payload: { building: "C", floor: 3 } },
            await memberJwt([ENTERPRISE_A]),
          ),
        );
        assert.equal(accepted.status, "PENDING");
      },
    );

    await t.step(
      "channels the workflow does not offer are a 400 naming the workflow's channels",
      async () => {
        const response = await invokeTrigger(
          { ...request, channels: ["SMS"], name: `${prefix}-sms-only` },
          await serviceRoleJwt(),
        );
        assert.equal(response.status, 400, JSON.stringify(response.body));
        assert.equal(response.body.error, "INVALID_REQUEST");
        assert.equal(
          response.body.message,
          "the notification breaks the rule ent_notification_channels_offered_by_its_workflow: " +
            `workflow "${workflowKey}" sends on EMAIL, IN_APP: name some of them, or leave ` +
            "channels at its default to send on all of them",
        );
        const [{ count }] = await sql<{ count: number }[]>`
          select count(*)::integer as count from notify.ent_notification
           where name = ${prefix + "-sms-only"}`;
        assert.equal(count, 0, "nothing was stored");
      },
    );

    await t.step(
      "unknown, draft, deactivated and other enterprises' workflows are 404",
      async () => {
        const token = await serviceRoleJwt();
        for (const key of [`${prefix}-absent`, `${prefix}-draft`, `${prefix}-off`, `${prefix}-b`]) {
          const response = await invokeTrigger({ ...request, workflow_key: key }, token);
          assert.equal(response.status, 404, key);
          assert.equal(response.body.error, "WORKFLOW_NOT_FOUND");
        }
        const member = await invokeTrigger(
          { ...request, workflow_key: `${prefix}-b` },
          await memberJwt([ENTERPRISE_A]),
        );
        assert.equal(member.status, 404);
      },
    );
  } finally {
    await sql`
      select pgmq.delete('notification_dispatch', msg_id)
        from pgmq.q_notification_dispatch
       where (message ->> 'notification_id')::bigint = any(${createdIds}::bigint[])`;
    await sql`delete from notify.ent_notification where id = any(${createdIds}::bigint[])`;
    await sql`delete from notify.ent_notification_workflow where workflow_key like ${
      prefix + "-%"
    }`;
    await sql.end();
  }
});
