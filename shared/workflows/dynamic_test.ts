import assert from "node:assert/strict";
import {
  type DynamicWorkflowRow,
  extendPayloadSchema,
  planDynamicWorkflow,
  templateForStep,
} from "./dynamic.ts";

const ENTERPRISE_A = "11111111-1111-4111-8111-111111111111";
const ENTERPRISE_B = "22222222-2222-4222-8222-222222222222";

const row: DynamicWorkflowRow = {
  workflow_key: "maintenance-window",
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
};

Deno.test("one step per default channel, in canonical order, with its template", () => {
  assert.deepEqual(planDynamicWorkflow(row).steps, [
    { channel: "EMAIL", template: "maintenance-email" },
    { channel: "IN_APP", template: "17" },
    { channel: "SMS", template: null },
  ]);
});

Deno.test("the payload schema gains a required _xnovu envelope and loses $schema", () => {
  const schema = planDynamicWorkflow(row).payloadSchema;
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
  assert.deepEqual(planDynamicWorkflow({ ...row, default_channels: null }).steps, []);
});

Deno.test("an enterprise's workflow renders only for that enterprise", () => {
  const plan = planDynamicWorkflow(row);
  assert.equal(templateForStep(plan, plan.steps[0], ENTERPRISE_A), "maintenance-email");
  assert.throws(
    () => templateForStep(plan, plan.steps[0], ENTERPRISE_B),
    { name: "DynamicWorkflowError", code: "ENTERPRISE_MISMATCH" },
  );
});

Deno.test("a shared workflow renders for any enterprise; a channel without template fails", () => {
  const plan = planDynamicWorkflow({ ...row, enterprise_id: null });
  assert.equal(templateForStep(plan, plan.steps[1], ENTERPRISE_B), "17");
  assert.throws(
    () => templateForStep(plan, plan.steps[2], ENTERPRISE_B),
    { name: "DynamicWorkflowError", code: "TEMPLATE_NOT_CONFIGURED" },
  );
});
