import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { RE2JS } from "re2js";
import type { WorkflowPlan } from "../workflows/plan.ts";

// ajv-formats is CommonJS; depending on the loader its function is the default export itself
// or sits on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv;

/** A workflow plan's id and version key the compiled validator. */
export type SchemaSource = Pick<WorkflowPlan, "id" | "version" | "payloadSchema">;

/** One rule the payload breaks, as ajv reports it (`path` is a JSON Pointer into the payload). */
export interface PayloadViolation {
  path: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

export type PayloadVerdict =
  | { valid: true }
  | { valid: false; reason: "schema_invalid"; message: string }
  | { valid: false; reason: "payload_invalid"; message: string; violations: PayloadViolation[] };

export type PayloadValidator = (
  workflow: SchemaSource,
  payload: Record<string, unknown>,
) => PayloadVerdict;

/** Validators compiled once per workflow version; an edit (new updated_at) compiles anew. */
const MAX_CACHED_VALIDATORS = 500;

/**
 * `pattern` and `patternProperties` regular expressions of member-written schemas run on RE2
 * (`re2js`, linear time, no backtracking) instead of JavaScript's backtracking engine, where
 * `^(a+)+$` against 31 characters held the server for 47 s (issue 7, finding 3). RE2 has no
 * backreferences or lookaround; a schema using them does not compile (`schema_invalid`).
 */
function re2RegExp(pattern: string): { test: (text: string) => boolean } {
  const compiled = RE2JS.compile(pattern);
  return { test: (text) => compiled.matcher(text).find() };
}
// Ajv's generated code refers to the engine through this property (ajv docs, "code.regExp").
re2RegExp.code = 'require("re2js").RE2JS';

/**
 * Checks a notification payload against its workflow's `payload_schema` (JSON Schema, Ajv's
 * draft-07 default; a `$schema` keyword is ignored rather than fetched). No schema = anything.
 */
export function createPayloadValidator(): PayloadValidator {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    // Checked against the draft-07 meta-schema before compiling: the save trigger refuses such
    // schemas (notify_internal.json_schema_problem), and a row saved before that check fails
    // with schema_invalid and the meta-schema's message instead of compiling leniently.
    validateSchema: true,
    code: { regExp: re2RegExp },
  });
  addFormats(ajv);
  const cache = new Map<string, ValidateFunction | Error>();

  function compiled(workflow: SchemaSource): ValidateFunction | Error {
    const key = `${workflow.id}:${workflow.version}`;
    let entry = cache.get(key);
    if (entry === undefined) {
      if (cache.size >= MAX_CACHED_VALIDATORS) cache.clear();
      const { $schema: _metaSchema, $id: _id, ...schema } = workflow.payloadSchema ?? {};
      try {
        entry = ajv.compile(schema);
      } catch (error) {
        entry = error instanceof Error ? error : new Error(String(error));
      }
      cache.set(key, entry);
    }
    return entry;
  }

  return (workflow, payload) => {
    if (workflow.payloadSchema === null) return { valid: true };
    const validate = compiled(workflow);
    if (validate instanceof Error) {
      return {
        valid: false,
        reason: "schema_invalid",
        message: `payload_schema cannot be compiled: ${validate.message}`,
      };
    }
    if (validate(payload)) return { valid: true };
    return {
      valid: false,
      reason: "payload_invalid",
      message: `payload does not match payload_schema: ${
        ajv.errorsText(validate.errors, { dataVar: "payload" })
      }`,
      violations: (validate.errors ?? []).map((error) => ({
        path: error.instancePath,
        keyword: error.keyword,
        message: error.message ?? error.keyword,
        params: error.params,
      })),
    };
  };
}
