/**
 * Whether a payload_schema may be saved is decided twice: by the database's save trigger
 * (notify_internal.json_schema_problem, written in SQL since the database has no JSON Schema
 * validator) and, at send, by the dispatcher's ajv. Both run the same corpus,
 * payload_schema_cases.json; pgTAP runs it in
 * workflows/payload_schemas_agree_with_ajv_on_the_corpus.test.sql. Here the corpus itself is
 * proven against ajv: a case is valid when the dispatcher compiles the schema (draft-07
 * meta-schema, RE2 patterns) and its root describes an object.
 */
import assert from "node:assert/strict";
import { createPayloadValidator } from "../dispatch/payload-validation.ts";

interface SchemaCase {
  name: string;
  valid: boolean;
  schema: Record<string, unknown>;
}

const corpus = JSON.parse(
  await Deno.readTextFile(new URL("./payload_schema_cases.json", import.meta.url)),
) as { cases: SchemaCase[] };

Deno.test("the schema corpus has valid and invalid cases", () => {
  assert.ok(corpus.cases.filter((entry) => entry.valid).length >= 10);
  assert.ok(corpus.cases.filter((entry) => !entry.valid).length >= 10);
});

const validate = createPayloadValidator();
for (const [index, entry] of corpus.cases.entries()) {
  Deno.test(`schema corpus: ${entry.name}`, () => {
    const verdict = validate({ id: index, version: "corpus", payloadSchema: entry.schema }, {});
    const compiles = verdict.valid || verdict.reason !== "schema_invalid";
    const rootDescribesAnObject = !("type" in entry.schema) || entry.schema.type === "object";
    assert.equal(compiles && rootDescribesAnObject, entry.valid, JSON.stringify(verdict));
  });
}
