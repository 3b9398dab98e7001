import assert from "node:assert/strict";
import postgres from "postgres";
import { DB_URL, ENTERPRISE_A, ENTERPRISE_B, FUNCTIONS_URL, runSuffix } from "../support/env.ts";
import { memberJwt, mintJwt, serviceRoleJwt } from "../support/jwt.ts";

const RENDER_URL = `${FUNCTIONS_URL}/render`;

async function render(body: unknown, token: string | null) {
  const response = await fetch(RENDER_URL, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token !== null && { authorization: `Bearer ${token}` }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

Deno.test("render function: access, validation and template errors", async (t) => {
  const sql = postgres(DB_URL, { prepare: false, max: 1, onnotice: () => {} });
  const prefix = `it-render-${runSuffix()}`;
  const request = {
    enterprise_id: ENTERPRISE_A,
    template: `${prefix}-notice`,
    variables: { building: "Block <C>" },
  };
  const expectedNotice = {
    subject: "Notice for Block <C>",
    body: "<p>Lift maintenance in Block &lt;C&gt;.</p><p>Facilities team</p>",
    channel: "EMAIL",
    templates_used: [`${prefix}-notice`, `${prefix}-footer`],
  };
  try {
    await sql`
      insert into notify.ent_notification_template
        (name, template_key, enterprise_id, channel_type, subject_template, body_template,
         publish_status)
      values (${prefix + " footer"}, ${prefix + "-footer"}, null, 'EMAIL', null,
              '<p>Facilities team</p>', 'PUBLISH')`;
    await sql`
      insert into notify.ent_notification_template
        (name, template_key, enterprise_id, channel_type, subject_template, body_template,
         publish_status)
      values (${prefix + " notice"}, ${prefix + "-notice"}, ${ENTERPRISE_A}, 'EMAIL',
              'Notice for {{building}}',
              ${`<p>Lift maintenance in {{building}}.</p>{{ xnovu_render('${prefix}-footer') }}`},
              'PUBLISH')`;

    await t.step("service role renders any enterprise's template", async () => {
      const { status, body } = await render(request, await serviceRoleJwt());
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body, expectedNotice);
    });

    await t.step("a member of the enterprise renders it", async () => {
      const { status, body } = await render(request, await memberJwt([ENTERPRISE_A]));
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body, expectedNotice);
    });

    await t.step("a member of another enterprise gets 403 and no content", async () => {
      const { status, body } = await render(request, await memberJwt([ENTERPRISE_B]));
      assert.equal(status, 403);
      assert.deepEqual(Object.keys(body).sort(), ["error", "message"]);
      assert.equal(body.error, "FORBIDDEN");
    });

    await t.step("B's member cannot reach A's template by naming B either", async () => {
      const { status, body } = await render(
        { ...request, enterprise_id: ENTERPRISE_B },
        await memberJwt([ENTERPRISE_B]),
      );
      assert.equal(status, 422);
      assert.equal(body.error, "TEMPLATE_NOT_FOUND");
      assert.equal(body.body, undefined);
    });

    await t.step(
      "the anon key gets 403; no JWT or a forged one gets the gateway's 401",
      async () => {
        const anon = await render(request, await mintJwt({ role: "anon" }));
        assert.equal(anon.status, 403);
        assert.equal((await render(request, null)).status, 401);
        const forged = await mintJwt(
          { role: "service_role" },
          "a-different-secret-of-at-least-32-chars",
        );
        assert.equal((await render(request, forged)).status, 401);
      },
    );

    await t.step("bad input is a 400 that names the field", async () => {
      const token = await serviceRoleJwt();
      const badUuid = await render({ ...request, enterprise_id: "acme" }, token);
      assert.equal(badUuid.status, 400);
      assert.equal(badUuid.body.error, "INVALID_REQUEST");
      assert.match(badUuid.body.message, /^enterprise_id: /);
      const neither = await render({ enterprise_id: ENTERPRISE_A }, token);
      assert.equal(neither.status, 400);
      assert.match(neither.body.message, /template: give exactly one of template or inline/);
      const notJson = await render("{", token);
      assert.equal(notJson.status, 400);
      assert.equal(notJson.body.error, "INVALID_JSON");
    });

    await t.step("a missing template is a 422 with its code and chain", async () => {
      const { status, body } = await render(
        { ...request, template: `${prefix}-absent` },
        await serviceRoleJwt(),
      );
      assert.equal(status, 422);
      assert.equal(body.error, "TEMPLATE_NOT_FOUND");
      assert.deepEqual(body.chain, [`${prefix}-absent`]);
      assert.equal(body.body, undefined);
    });

    await t.step("inline templates render as plain text for SMS", async () => {
      const { status, body } = await render(
        {
          enterprise_id: ENTERPRISE_A,
          inline: { body: "<p>Lift  in {{building}} &amp; lobby</p>", channel: "SMS" },
          variables: { building: "Block <C>" },
        },
        await memberJwt([ENTERPRISE_A]),
      );
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body, {
        body: "Lift in Block <C> & lobby",
        channel: "SMS",
        templates_used: [],
        sms_segments: 1,
        sms_encoding: "GSM-7",
      });
    });
  } finally {
    await sql`delete from notify.ent_notification_template where template_key = ${
      prefix + "-notice"
    }`;
    await sql`delete from notify.ent_notification_template where template_key = ${
      prefix + "-footer"
    }`;
    await sql.end();
  }
});

Deno.test("render function: data cannot assemble a javascript: URL or unsafe CSS in EMAIL output", async () => {
  const { status, body } = await render({
    enterprise_id: ENTERPRISE_A,
    inline: {
      channel: "EMAIL",
      body: '<a href="{{scheme}}://{{host}}/x">u</a><a href="{{s}}:{{r}}">v</a>' +
        '<a href="java{{b}}">w</a><meta http-equiv="refresh" content="0; url={{s}}:{{r}}">' +
        '<div style="background: url({{s}}:{{r}})">x</div>',
    },
    variables: {
      scheme: "javascript",
      host: "%0aalert(1)",
      s: "javascript",
      r: "alert(1)",
      b: "script:alert(1)",
    },
  }, await serviceRoleJwt());
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(
    body.body,
    '<a href="about:invalid">u</a><a href="about:invalid">v</a><a href="about:invalid">w</a>' +
      '<meta http-equiv="refresh" content=""><div style="">x</div>',
  );
});
