import assert from "node:assert/strict";
import { findIncludes } from "./include_parser.ts";
import { TemplateSyntaxError } from "./errors.ts";

Deno.test("an include without arguments names a template by key", () => {
  const source = "Hi {{ xnovu_render('footer') }}!";
  const [call] = findIncludes(source);
  assert.deepEqual(call.ref, { key: "footer" });
  assert.deepEqual(call.args, []);
  assert.equal(source.slice(call.start, call.end), "{{ xnovu_render('footer') }}");
});

Deno.test("whitespace is optional and double quotes work", () => {
  const [call] = findIncludes('{{xnovu_render("header",{a:"x"})}}');
  assert.deepEqual(call.ref, { key: "header" });
  assert.deepEqual(call.args, [{ name: "a", value: { kind: "literal", value: "x" } }]);
});

Deno.test("numeric refs, and quoted digits as in the seeds, name a template by id", () => {
  assert.deepEqual(findIncludes("{{ xnovu_render(42) }}")[0].ref, { id: 42 });
  assert.deepEqual(findIncludes("{{ xnovu_render('12345', {}) }}")[0].ref, { id: 12345 });
});

Deno.test("argument values: strings, numbers, booleans and variable paths", () => {
  const [call] = findIncludes(
    "{{ xnovu_render('card', { title: 'Fire', n: 3, ratio: -1.5, urgent: true, quiet: false, " +
      "who: user.name, first: items.0, 'quoted key': name }) }}",
  );
  assert.deepEqual(call.args, [
    { name: "title", value: { kind: "literal", value: "Fire" } },
    { name: "n", value: { kind: "literal", value: 3 } },
    { name: "ratio", value: { kind: "literal", value: -1.5 } },
    { name: "urgent", value: { kind: "literal", value: true } },
    { name: "quiet", value: { kind: "literal", value: false } },
    { name: "who", value: { kind: "path", path: "user.name" } },
    { name: "first", value: { kind: "path", path: "items.0" } },
    { name: "quoted key", value: { kind: "path", path: "name" } },
  ]);
});

Deno.test("strings may hold commas, colons, braces, closing tags and escaped quotes", () => {
  const source = String.raw`{{ xnovu_render('note', { text: 'a, b: {c} }} \'q\' "d"', ` +
    String.raw`other: "say \"hi\"\n", }) }} tail`;
  const [call] = findIncludes(source);
  assert.deepEqual(call.args, [
    { name: "text", value: { kind: "literal", value: `a, b: {c} }} 'q' "d"` } },
    { name: "other", value: { kind: "literal", value: 'say "hi"\n' } },
  ]);
  assert.equal(source.slice(call.end), " tail");
});

Deno.test("several includes are found in source order; other mustache tags are ignored", () => {
  const calls = findIncludes(
    "{{#a}}{{ xnovu_render('one') }}{{/a}} {{{raw}}} {{name}} {{ xnovu_render(7) }}",
  );
  assert.deepEqual(calls.map((call) => call.ref), [{ key: "one" }, { id: 7 }]);
});

Deno.test("a variable whose name merely starts with xnovu_render is not an include", () => {
  assert.deepEqual(findIncludes("{{xnovu_renderer}} {{ xnovu_render_count }}"), []);
});

function assertSyntaxError(source: string, detail: RegExp, line = 1, column?: number) {
  assert.throws(() => findIncludes(source), (error: unknown) => {
    assert.ok(error instanceof TemplateSyntaxError, String(error));
    assert.equal(error.code, "TEMPLATE_SYNTAX");
    assert.match(error.message, detail);
    assert.equal(error.line, line);
    if (column !== undefined) assert.equal(error.column, column);
    return true;
  });
}

Deno.test("malformed includes are refused with their position", () => {
  assertSyntaxError("{{ xnovu_render('a' }}", /expected "\)"/, 1, 21);
  assertSyntaxError("{{ xnovu_render('a', { x: 'y' }", /expected "\)"/);
  assertSyntaxError("{{ xnovu_render('a') }", /expected "}}"/);
  assertSyntaxError("{{ xnovu_render('a') junk }}", /expected "}}"/);
  assertSyntaxError("{{ xnovu_render('a', { x: 'y' }) x }}", /expected "}}"/);
  assertSyntaxError("{{ xnovu_render('a', { x: 'y' } }}", /expected "\)"/);
  assertSyntaxError("{{ xnovu_render('a', { 3: 'y' }) }}", /expected an argument name/);
  assertSyntaxError("{{ xnovu_render('a', { a.b: 'y' }) }}", /expected an argument name/);
  assertSyntaxError("{{ xnovu_render('a', { x 'y' }) }}", /expected ":"/);
  assertSyntaxError("{{ xnovu_render('a', { x: }) }}", /expected a string, number/);
  assertSyntaxError("{{ xnovu_render('a', { x: 1, x: 2 }) }}", /duplicate argument "x"/);
  assertSyntaxError("{{ xnovu_render('a, { x: 1 }) }}", /unterminated string/);
  assertSyntaxError("{{ xnovu_render(a) }}", /quoted template key or a positive integer id/);
  assertSyntaxError("{{ xnovu_render('') }}", /empty template reference/);
  assertSyntaxError("{{ xnovu_render }}", /expected "\("/);
  assertSyntaxError("{{ xnovu_render('a', { x: 1 @ }) }}", /unexpected character "@"/);
  assertSyntaxError("line one\n  {{{ xnovu_render('a') }}}", /write it as/, 2, 3);
  assertSyntaxError("{{& xnovu_render('a') }}", /write it as/);
});
