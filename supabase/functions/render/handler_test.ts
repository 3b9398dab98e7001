import assert from "node:assert/strict";
import {
  createMemoryTemplateLoader,
  createTemplateEngine,
  type TemplateRecord,
} from "../../../shared/templates/mod.ts";
import { createRenderHandler } from "./handler.ts";

const ENTERPRISE_A = "11111111-1111-4111-8111-111111111111";
const ENTERPRISE_B = "22222222-2222-4222-8222-222222222222";

function row(fields: Partial<TemplateRecord> & Pick<TemplateRecord, "id">): TemplateRecord {
  return {
    template_key: null,
    enterprise_id: ENTERPRISE_A,
    channel_type: "EMAIL",
    subject_template: null,
    body_template: "",
    variables_description: null,
    updated_at: "2026-11-22T00:00:00Z",
    publish_status: "PUBLISH",
    deactivated: false,
    ...fields,
  };
}

const engine = createTemplateEngine({
  loader: createMemoryTemplateLoader([
    row({
      id: 1,
      template_key: "greeting",
      subject_template: "Hello {{name}}",
      body_template: "<p>Hi {{name}}</p>{{ xnovu_render('footer') }}",
    }),
    row({ id: 2, template_key: "footer", body_template: "<p>Bye</p>" }),
    row({ id: 3, template_key: "loop", body_template: "{{ xnovu_render('loop') }}" }),
  ]),
});

function unsignedJwt(payload: unknown): string {
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `${encode({ alg: "HS256" })}.${encode(payload)}.x`;
}

const errors: unknown[] = [];
const handle = createRenderHandler({
  // Stands in for the database helper: members of A only.
  callerCanAccessEnterprise: (claims, enterpriseId) =>
    Promise.resolve(claims.role === "service_role" || enterpriseId === ENTERPRISE_A),
  render: (request) => engine.render(request),
  renderInline: (request) => engine.renderInline(request),
  logError: (_message, error) => errors.push(error),
});

const serviceRole = `Bearer ${unsignedJwt({ role: "service_role" })}`;
const member = `Bearer ${unsignedJwt({ role: "authenticated" })}`;

function post(body: unknown, authorization: string | null = serviceRole) {
  return handle(
    new Request("http://render.test/", {
      method: "POST",
      headers: authorization ? { authorization } : {},
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

Deno.test("renders a stored template with its include and lists the templates used", async () => {
  const response = await post({
    enterprise_id: ENTERPRISE_A,
    template: "greeting",
    variables: { name: "<b>Ann</b>" },
  });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    subject: "Hello <b>Ann</b>",
    body: "<p>Hi &lt;b&gt;Ann&lt;&#x2F;b&gt;</p><p>Bye</p>",
    channel: "EMAIL",
    templates_used: ["greeting", "footer"],
  });
});

Deno.test("renders by numeric id and renders inline templates", async () => {
  const byId = await post({ enterprise_id: ENTERPRISE_A, template: 2 });
  assert.equal((await byId.json()).body, "<p>Bye</p>");
  const inline = await post({
    enterprise_id: ENTERPRISE_A,
    inline: { body: "Alarm on {{floor}}", channel: "SMS" },
    variables: { floor: 3 },
  });
  assert.equal(inline.status, 200);
  const body = await inline.json();
  assert.equal(body.body, "Alarm on 3");
  assert.equal(body.channel, "SMS");
  assert.equal(body.sms_segments, 1);
});

Deno.test("a member of another enterprise gets 403 and no content", async () => {
  const response = await post({ enterprise_id: ENTERPRISE_B, template: "greeting" }, member);
  assert.equal(response.status, 403);
  const body = await response.json();
  assert.equal(body.error, "FORBIDDEN");
  assert.deepEqual(Object.keys(body).sort(), ["error", "message"]);
});

Deno.test("bad input is a 400 naming the field", async () => {
  const cases: [unknown, RegExp][] = [
    ["{not json", /not valid JSON/],
    [{ enterprise_id: "nope", template: "greeting" }, /enterprise_id/],
    [{ enterprise_id: ENTERPRISE_A }, /template: give exactly one of template or inline/],
    [
      { enterprise_id: ENTERPRISE_A, template: "greeting", inline: { body: "x", channel: "SMS" } },
      /exactly one/,
    ],
    [{ enterprise_id: ENTERPRISE_A, template: "greeting", channel: "FAX" }, /channel/],
    [{ enterprise_id: ENTERPRISE_A, template: "greeting", extra: 1 }, /extra/],
  ];
  for (const [body, message] of cases) {
    const response = await post(body);
    assert.equal(response.status, 400);
    const json = await response.json();
    assert.match(json.message, message);
    assert.ok(["INVALID_JSON", "INVALID_REQUEST"].includes(json.error));
  }
});

Deno.test("template errors are 422 with code and chain, never content", async () => {
  const missing = await post({ enterprise_id: ENTERPRISE_A, template: "absent" });
  assert.equal(missing.status, 422);
  const missingBody = await missing.json();
  assert.equal(missingBody.error, "TEMPLATE_NOT_FOUND");
  assert.equal("body" in missingBody, false);

  const cycle = await post({ enterprise_id: ENTERPRISE_A, template: "loop" });
  assert.equal(cycle.status, 422);
  const cycleBody = await cycle.json();
  assert.equal(cycleBody.error, "TEMPLATE_CYCLE");
  assert.deepEqual(cycleBody.chain, ["loop", "loop"]);
});

Deno.test("no bearer token is 401; other methods are 405", async () => {
  assert.equal(
    (await post({ enterprise_id: ENTERPRISE_A, template: "greeting" }, null)).status,
    401,
  );
  const get = await handle(new Request("http://render.test/", { method: "GET" }));
  assert.equal(get.status, 405);
  assert.equal(errors.length, 0);
});

Deno.test("ids no bigint can hold, unstorable text and oversized bodies are 4xx naming the field", async () => {
  const cases: [string, number, RegExp][] = [
    [`{"enterprise_id":"${ENTERPRISE_A}","template":9223372036854775808}`, 400, /^template: /],
    [`{"enterprise_id":"${ENTERPRISE_A}","template":1e300}`, 400, /^template: /],
    [`{"enterprise_id":"${ENTERPRISE_A}","template":"a\\u0000b"}`, 400, /^template: .*NUL/],
    [
      JSON.stringify({ enterprise_id: ENTERPRISE_A, template: "greeting", variables: { a: "x" } })
        .replace('"x"', "[".repeat(50_000) + "]".repeat(50_000)),
      400,
      /^variables: a(\.0)+ is nested deeper/,
    ],
    [
      JSON.stringify({
        enterprise_id: ENTERPRISE_A,
        inline: { body: "x".repeat(2_000_000), channel: "EMAIL" },
      }),
      413,
      /request body exceeds 1048576 bytes/,
    ],
  ];
  for (const [body, status, message] of cases) {
    const response = await post(body);
    assert.equal(response.status, status, body.slice(0, 100));
    assert.match((await response.json()).message, message);
  }
});
