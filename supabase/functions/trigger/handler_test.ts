import assert from "node:assert/strict";
import type { CallerClaims } from "../../../shared/http/claims.ts";
import {
  type CreateNotificationResult,
  createTriggerHandler,
  MAX_RECIPIENTS,
  type NewNotification,
} from "./handler.ts";

const ENTERPRISE_A = "11111111-1111-4111-8111-111111111111";
const ENTERPRISE_B = "22222222-2222-4222-8222-222222222222";
const RECIPIENT = "33333333-3333-4333-8333-333333333333";
const FIXED_UUID = "44444444-4444-4444-8444-444444444444";

function unsignedJwt(payload: unknown): string {
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `${encode({ alg: "HS256" })}.${encode(payload)}.x`;
}

const serviceRole = `Bearer ${unsignedJwt({ role: "service_role" })}`;
const memberOfA = `Bearer ${unsignedJwt({ role: "authenticated" })}`;

interface Harness {
  handle: (request: Request) => Promise<Response>;
  created: { claims: CallerClaims; notification: NewNotification }[];
  errors: unknown[];
}

/** Members reach enterprise A only; `result` is what the database would answer. */
function harness(
  result: CreateNotificationResult | Error = { outcome: "created", id: 7, status: "PENDING" },
): Harness {
  const created: Harness["created"] = [];
  const errors: unknown[] = [];
  const handle = createTriggerHandler({
    callerCanAccessEnterprise: (claims, enterpriseId) =>
      Promise.resolve(claims.role === "service_role" || enterpriseId === ENTERPRISE_A),
    createNotification: (claims, notification) => {
      created.push({ claims, notification });
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
    newUuid: () => FIXED_UUID,
    logError: (_message, error) => errors.push(error),
  });
  return { handle, created, errors };
}

const validBody = {
  enterprise_id: ENTERPRISE_A,
  workflow_key: "default-email",
  recipients: [RECIPIENT],
  payload: { subject: "Lift maintenance" },
};

function post(
  handle: Harness["handle"],
  body: unknown,
  authorization: string | null = serviceRole,
) {
  return handle(
    new Request("http://trigger.test/", {
      method: "POST",
      headers: authorization ? { authorization } : {},
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

Deno.test("creates the notification with a unique default name and answers 201 { id, status }", async () => {
  const { handle, created } = harness();
  const response = await post(handle, validBody);
  assert.equal(response.status, 201);
  assert.deepEqual(await response.json(), { id: 7, status: "PENDING" });
  assert.equal(created.length, 1);
  assert.deepEqual(created[0].notification, {
    ...validBody,
    name: `default-email ${FIXED_UUID}`,
  });
  assert.equal(created[0].claims.role, "service_role");
});

Deno.test("passes the optional fields and a given name through unchanged", async () => {
  const { handle, created } = harness();
  const body = {
    ...validBody,
    channels: ["EMAIL", "SMS"],
    scheduled_for: "2026-12-01T08:00:00+01:00",
    name: "December notice",
    overrides: { email: { from: "facilities@example.com" } },
    tags: ["maintenance"],
  };
  assert.equal((await post(handle, body, memberOfA)).status, 201);
  assert.deepEqual(created[0].notification, body);
  assert.equal(created[0].claims.role, "authenticated");
});

Deno.test("a caller without access to the enterprise gets 403 and nothing is created", async () => {
  const { handle, created } = harness();
  const response = await post(handle, { ...validBody, enterprise_id: ENTERPRISE_B }, memberOfA);
  assert.equal(response.status, 403);
  const body = await response.json();
  assert.deepEqual(Object.keys(body).sort(), ["error", "message"]);
  assert.equal(body.error, "FORBIDDEN");
  assert.equal(created.length, 0);
});

Deno.test("bad input is a 400 that names the field and creates nothing", async () => {
  const { handle, created } = harness();
  const tooMany = Array.from(
    { length: MAX_RECIPIENTS + 1 },
    (_, index) => `00000000-0000-4000-8000-${index.toString().padStart(12, "0")}`,
  );
  const cases: [unknown, RegExp][] = [
    ["{not json", /not valid JSON/],
    [{ ...validBody, enterprise_id: "acme" }, /^enterprise_id: /],
    [{ ...validBody, workflow_key: "" }, /^workflow_key: /],
    [{ ...validBody, recipients: [] }, /^recipients: /],
    [{ ...validBody, recipients: ["user-1"] }, /^recipients\.0: /],
    [{ ...validBody, recipients: [RECIPIENT, RECIPIENT] }, /^recipients: .*distinct/],
    [{ ...validBody, recipients: tooMany }, /^recipients: /],
    [{ ...validBody, payload: "text" }, /^payload: /],
    [{ ...validBody, payload: undefined }, /^payload: Required/],
    [{ ...validBody, channels: ["EMAIL", "FAX"] }, /^channels\.1: /],
    [{ ...validBody, channels: [] }, /^channels: /],
    [{ ...validBody, scheduled_for: "tomorrow" }, /^scheduled_for: /],
    [{ ...validBody, name: "  " }, /^name: /],
    [{ ...validBody, tags: [1] }, /^tags\.0: /],
    [{ ...validBody, overrides: [] }, /^overrides: /],
    [{ ...validBody, status: "SENT" }, /status/],
  ];
  for (const [body, message] of cases) {
    const response = await post(handle, body, memberOfA);
    assert.equal(response.status, 400, JSON.stringify(body).slice(0, 200));
    const json = await response.json();
    assert.match(json.message, message);
    assert.ok(["INVALID_JSON", "INVALID_REQUEST"].includes(json.error));
  }
  assert.equal(created.length, 0);
});

Deno.test("an unknown workflow is 404 WORKFLOW_NOT_FOUND", async () => {
  const { handle } = harness({ outcome: "workflow_not_found" });
  const response = await post(handle, { ...validBody, workflow_key: "nope" });
  assert.equal(response.status, 404);
  const body = await response.json();
  assert.equal(body.error, "WORKFLOW_NOT_FOUND");
  assert.match(body.message, /nope/);
});

Deno.test("a duplicate name is 409 DUPLICATE_NAME", async () => {
  const { handle } = harness({ outcome: "duplicate_name" });
  const response = await post(handle, { ...validBody, name: "Weekly" });
  assert.equal(response.status, 409);
  const body = await response.json();
  assert.equal(body.error, "DUPLICATE_NAME");
  assert.match(body.message, /Weekly/);
});

Deno.test("a database failure is a logged 500 without its text", async () => {
  const failure = new Error("connection refused to 10.0.0.1");
  const { handle, errors } = harness(failure);
  const response = await post(handle, validBody);
  assert.equal(response.status, 500);
  const body = await response.json();
  assert.equal(body.error, "INTERNAL");
  assert.doesNotMatch(body.message, /10\.0\.0\.1/);
  assert.deepEqual(errors, [failure]);
});

Deno.test("no bearer token is 401; other methods are 405", async () => {
  const { handle } = harness();
  assert.equal((await post(handle, validBody, null)).status, 401);
  const get = await handle(new Request("http://trigger.test/", { method: "GET" }));
  assert.equal(get.status, 405);
});

Deno.test("text and JSON the database cannot store are a 400 naming the field (issue 7, item 9)", async () => {
  const { handle, created } = harness();
  const cases: [string, RegExp][] = [
    [
      JSON.stringify({ ...validBody, payload: { note: "a\u0000b" } }),
      /^payload: note contains a NUL/,
    ],
    [JSON.stringify({ ...validBody, name: "a\u0000b" }), /^name: contains a NUL/],
    [JSON.stringify({ ...validBody, tags: ["\u0000"] }), /^tags\.0: contains a NUL/],
    [
      JSON.stringify({ ...validBody, payload: { note: "x" } }).replace('"x"', '"\\udc00"'),
      /^payload: note contains a lone UTF-16 surrogate/,
    ],
    [
      JSON.stringify({ ...validBody, payload: { deep: "x" } })
        .replace('"x"', "[".repeat(100_000) + "]".repeat(100_000)),
      /^payload: deep(\.0)+ is nested deeper than 32 levels/,
    ],
    [JSON.stringify({ ...validBody, overrides: "x" }), /^overrides: Expected object/],
  ];
  for (const [body, message] of cases) {
    const response = await post(handle, body);
    assert.equal(response.status, 400, body.slice(0, 100));
    assert.match((await response.json()).message, message);
  }
  assert.equal(created.length, 0);
});

Deno.test("a body past the bound is 413 before it is parsed", async () => {
  const { handle, created } = harness();
  const response = await post(handle, { ...validBody, payload: { text: "x".repeat(1_100_000) } });
  assert.equal(response.status, 413);
  assert.deepEqual(await response.json(), {
    error: "PAYLOAD_TOO_LARGE",
    message: "request body exceeds 1048576 bytes",
  });
  assert.equal(created.length, 0);
});

Deno.test("a row a database check refuses is a 400 naming the rule", async () => {
  const { handle } = harness({
    outcome: "refused",
    constraint: "ent_notification_payload_at_most_256_kib",
  });
  const response = await post(handle, validBody);
  assert.equal(response.status, 400);
  const body = await response.json();
  assert.equal(body.error, "INVALID_REQUEST");
  assert.match(body.message, /ent_notification_payload_at_most_256_kib/);
});

Deno.test("a refusal with a hint says what would be accepted", async () => {
  const { handle } = harness({
    outcome: "refused",
    constraint: "ent_notification_channels_offered_by_its_workflow",
    hint: 'workflow "default-email" sends on EMAIL: name some of them',
  });
  const response = await post(handle, validBody);
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), {
    error: "INVALID_REQUEST",
    message:
      "the notification breaks the rule ent_notification_channels_offered_by_its_workflow: " +
      'workflow "default-email" sends on EMAIL: name some of them',
  });
});

Deno.test("a payload the workflow's payload_schema refuses is a 422 listing each violation", async () => {
  const violations = [
    { path: "/floor", keyword: "type", message: "must be integer", params: { type: "integer" } },
  ];
  const { handle } = harness({
    outcome: "payload_refused",
    verdict: {
      valid: false,
      reason: "payload_invalid",
      message: "payload does not match payload_schema: payload/floor must be integer",
      violations,
    },
  });
  const response = await post(handle, validBody);
  assert.equal(response.status, 422);
  assert.deepEqual(await response.json(), {
    error: "PAYLOAD_INVALID",
    message: "payload does not match payload_schema: payload/floor must be integer",
    violations,
  });
});

Deno.test("a payload_schema that cannot be compiled is a 422 naming the workflow", async () => {
  const { handle } = harness({
    outcome: "payload_refused",
    verdict: {
      valid: false,
      reason: "schema_invalid",
      message: "payload_schema cannot be compiled: invalid backreference",
    },
  });
  const response = await post(handle, validBody);
  assert.equal(response.status, 422);
  const body = await response.json();
  assert.deepEqual(Object.keys(body).sort(), ["error", "message"]);
  assert.equal(body.error, "PAYLOAD_SCHEMA_INVALID");
  assert.match(body.message, /default-email's payload_schema cannot be compiled/);
});
