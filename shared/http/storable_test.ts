import assert from "node:assert/strict";
import { jsonValueProblem, MAX_JSON_DEPTH, textProblem } from "./storable.ts";

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

Deno.test("text with a NUL or a lone surrogate cannot be stored; other text can", () => {
  assert.equal(textProblem("Zoë 🔥 ok"), null);
  assert.match(textProblem("a\u0000b")!, /NUL/);
  assert.match(textProblem("a\ud800b")!, /lone UTF-16 surrogate/);
  assert.match(textProblem("\udfff")!, /lone UTF-16 surrogate/);
});

Deno.test("JSON nested up to the limit is fine; one level more is refused with its path", () => {
  assert.equal(jsonValueProblem(nested(MAX_JSON_DEPTH)), null);
  assert.match(jsonValueProblem(nested(MAX_JSON_DEPTH + 1))!, /^a(\.a)+ is nested deeper than 32/);
});

Deno.test("a payload nested 100,000 deep is refused without exhausting the stack", () => {
  const deep = JSON.parse("[".repeat(100_000) + "]".repeat(100_000));
  assert.match(jsonValueProblem({ deep })!, /nested deeper than 32 levels/);
});

Deno.test("NUL and lone surrogates are found in nested strings and keys, with their path", () => {
  assert.equal(
    jsonValueProblem({ a: [{ b: "x\u0000" }] }),
    "a.0.b contains a NUL character (U+0000)",
  );
  assert.equal(
    jsonValueProblem({ a: { "k\ud800": 1 } }),
    "a has a key that contains a lone UTF-16 surrogate",
  );
});
