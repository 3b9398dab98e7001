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
    violations: [
      {
        path: "",
        keyword: "additionalProperties",
        message: "must NOT have additional properties",
        params: { additionalProperty: "extra" },
      },
      {
        path: "/subject",
        keyword: "minLength",
        message: "must NOT have fewer than 1 characters",
        params: { limit: 1 },
      },
      {
        path: "/when",
        keyword: "format",
        message: 'must match format "date"',
        params: { format: "date" },
      },
    ],
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

Deno.test("a catastrophic-backtracking pattern is checked in linear time (issue 7, finding 3)", () => {
  const validate = createPayloadValidator();
  const redos = {
    id: 2,
    version: "v1",
    payloadSchema: {
      type: "object",
      properties: { code: { type: "string", pattern: "^(a+)+$" } },
      patternProperties: { "^(x+x+)+y$": { type: "string" } },
    },
  };
  const started = performance.now();
  const verdict = validate(redos, { code: "a".repeat(31) + "!", ["x".repeat(40)]: 1 });
  const elapsedMs = performance.now() - started;
  assert.equal(verdict.valid, false);
  assert.match((verdict as { message: string }).message, /payload\/code must match pattern/);
  // JavaScript's engine took 47 s on 31 characters; RE2 takes microseconds. Generous bound.
  assert.ok(elapsedMs < 2_000, `took ${elapsedMs} ms`);
  assert.deepEqual(validate(redos, { code: "aaaa" }), { valid: true });
});

Deno.test("a pattern RE2 cannot run (a backreference) is a schema_invalid failure, not a hang", () => {
  const validate = createPayloadValidator();
  const verdict = validate({
    id: 3,
    version: "v1",
    payloadSchema: { type: "object", properties: { a: { type: "string", pattern: "(a)\\1" } } },
  }, { a: "aa" });
  assert.equal(verdict.valid, false);
  assert.equal((verdict as { reason: string }).reason, "schema_invalid");
});
