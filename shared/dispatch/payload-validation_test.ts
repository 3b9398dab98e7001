import assert from "node:assert/strict";
import { createPayloadValidator } from "./payload-validation.ts";

const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  required: ["subject", "when"],
  properties: {
    subject: { type: "string", minLength: 1 },
    when: { type: "string", format: "date" },
  },
  additionalProperties: false,
};
const workflow = { id: 1, version: "2026-11-22 10:00:00+00", payloadSchema: schema };

Deno.test("a payload matching the schema is valid", () => {
  const validate = createPayloadValidator();
  assert.deepEqual(validate(workflow, { subject: "Hi", when: "2026-12-01" }), { valid: true });
});

Deno.test("a violation names what is wrong, formats included", () => {
  const validate = createPayloadValidator();
  assert.deepEqual(validate(workflow, { subject: "", when: "tomorrow", extra: 1 }), {
    valid: false,
    reason: "payload_invalid",
    message: "payload does not match payload_schema: payload must NOT have additional " +
      "properties, payload/subject must NOT have fewer than 1 characters, payload/when must " +
      'match format "date"',
  });
});

Deno.test("no schema accepts anything; an uncompilable schema is reported", () => {
  const validate = createPayloadValidator();
  assert.deepEqual(validate({ ...workflow, payloadSchema: null }, { any: 1 }), { valid: true });
  const broken = validate({ id: 2, version: "x", payloadSchema: { type: "nonsense" } }, {});
  assert.equal(broken.valid, false);
  assert.equal(!broken.valid && broken.reason, "schema_invalid");
});

Deno.test("a new updated_at compiles the edited schema", () => {
  const validate = createPayloadValidator();
  assert.equal(validate(workflow, { subject: "Hi", when: "2026-12-01" }).valid, true);
  const edited = { ...workflow, version: "later", payloadSchema: { ...schema, required: ["x"] } };
  assert.equal(validate(edited, { subject: "Hi", when: "2026-12-01" }).valid, false);
});
