import assert from "node:assert/strict";
import { fireEmergencyAlert } from "./static/fire-emergency-alert.ts";
import {
  effectiveChannels,
  extendPayloadSchema,
  frameworkPayloadSchema,
  planStaticWorkflow,
  planWorkflowRow,
  templateForStep,
  type WorkflowRow,
} from "./plan.ts";

const ENTERPRISE_A = "11111111-1111-4111-8111-111111111111";
const ENTERPRISE_B = "22222222-2222-4222-8222-222222222222";

const row: WorkflowRow = {
  id: "7",
  workflow_key: "maintenance-window",
  workflow_type: "DYNAMIC",
  name: "Maintenance window",
  description: null,
  enterprise_id: ENTERPRISE_A,
  default_channels: ["SMS", "EMAIL", "IN_APP"],
  payload_schema: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: { building: { type: "string" } },
    required: ["building"],
  },
  template_overrides: { EMAIL: "maintenance-email", IN_APP: 17, PUSH: "unused-push" },
  updated_at: "2026-12-01 10:00:00+00",
};

Deno.test("one step per default channel, in canonical order, with its template", () => {
  assert.deepEqual(planWorkflowRow(row).steps, [
    { channel: "EMAIL", template: "maintenance-email" },
    { channel: "IN_APP", template: "17" },
    { channel: "SMS", template: null },
  ]);
});

Deno.test("the payload schema gains a required _xnovu envelope and loses $schema", () => {
  const schema = frameworkPayloadSchema(planWorkflowRow(row));
  assert.equal("$schema" in schema, false);
  assert.deepEqual(schema.required, ["building", "_xnovu"]);
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(properties.building, { type: "string" });
  assert.deepEqual(properties._xnovu.required, ["notification_id", "enterprise_id"]);
});

Deno.test("a missing or non-object payload schema becomes an object with only _xnovu", () => {
  for (const schema of [null, { type: "string" }]) {
    const extended = extendPayloadSchema(schema);
    assert.equal(extended.type, "object");
    assert.deepEqual(Object.keys(extended.properties as object), ["_xnovu"]);
    assert.deepEqual(extended.required, ["_xnovu"]);
  }
});

Deno.test("no default channels means no steps", () => {
  assert.deepEqual(planWorkflowRow({ ...row, default_channels: null }).steps, []);
});

Deno.test("an enterprise's workflow renders only for that enterprise", () => {
  const plan = planWorkflowRow(row);
  assert.equal(templateForStep(plan, plan.steps[0], ENTERPRISE_A), "maintenance-email");
  assert.throws(
    () => templateForStep(plan, plan.steps[0], ENTERPRISE_B),
    { name: "DynamicWorkflowError", code: "ENTERPRISE_MISMATCH" },
  );
});

Deno.test("a shared workflow renders for any enterprise; a channel without template fails", () => {
  const plan = planWorkflowRow({ ...row, enterprise_id: null });
  assert.equal(templateForStep(plan, plan.steps[1], ENTERPRISE_B), "17");
  assert.throws(
    () => templateForStep(plan, plan.steps[2], ENTERPRISE_B),
    { name: "DynamicWorkflowError", code: "TEMPLATE_NOT_CONFIGURED" },
  );
});

Deno.test("a static definition's plan has its inline templates and its payload's JSON Schema", () => {
  const plan = planStaticWorkflow(fireEmergencyAlert);
  assert.equal(plan.type, "STATIC");
  assert.equal(plan.ownerEnterpriseId, null);
  assert.deepEqual(plan.steps.map((step) => step.channel), [
    "EMAIL",
    "IN_APP",
    "SMS",
    "PUSH",
    "CHAT",
  ]);
  assert.equal(plan.steps[2].template, fireEmergencyAlert.templates.SMS);
  assert.deepEqual((plan.payloadSchema?.required as string[]).sort(), [
    "building",
    "floor",
    "instructions",
    "severity",
  ]);
  // Static templates render for every enterprise.
  assert.equal(
    templateForStep(plan, plan.steps[0], ENTERPRISE_B),
    fireEmergencyAlert.templates.EMAIL,
  );
});

Deno.test("a notification's channels narrow the plan's; a row without channels offers all", () => {
  const plan = planWorkflowRow(row);
  assert.deepEqual(effectiveChannels(plan, ["SMS", "PUSH", "EMAIL"]), ["EMAIL", "SMS"]);
  assert.deepEqual(effectiveChannels(plan, null), ["EMAIL", "IN_APP", "SMS"]);
  assert.deepEqual(
    effectiveChannels(planWorkflowRow({ ...row, default_channels: null }), ["CHAT"]),
    [
      "CHAT",
    ],
  );
});
