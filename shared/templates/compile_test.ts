import assert from "node:assert/strict";
import { compileSource } from "./compile.ts";
import { TemplateSyntaxError } from "./errors.ts";

Deno.test("parseTemplate lists the includes of a valid template", () => {
  const compiled = compileSource(
    "{{#a}}{{ xnovu_render('x', { n: 1 }) }}{{/a}}{{ xnovu_render(2) }}",
  );
  assert.deepEqual(compiled.includes.map((call) => call.ref), [{ key: "x" }, { id: 2 }]);
});

Deno.test("an include hidden in a mustache comment or after a delimiter change is refused", () => {
  for (const source of ["{{! {{ xnovu_render('x') }} }}", "{{=<% %>=}} {{ xnovu_render('x') }}"]) {
    assert.throws(
      () => compileSource(source),
      (error: unknown) =>
        error instanceof TemplateSyntaxError && /comment or after a delimiter/.test(error.message),
    );
  }
});

Deno.test("mustache errors point at the template source, past includes", () => {
  assert.throws(
    () => compileSource("{{ xnovu_render('a', { long: 'xxxxxxxxxxxxxxxx' }) }}\n{{/closed}}"),
    (error: unknown) =>
      error instanceof TemplateSyntaxError && /Unopened section "closed"/.test(error.message) &&
      error.line === 2 && error.column === 1,
  );
});
