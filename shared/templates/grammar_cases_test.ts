/**
 * The include grammar lives twice: here (include_parser.ts, compile.ts) and in the database
 * (notify_internal.template_includes, which refuses a template on save). Both run the same corpus,
 * grammar_cases.json; pgTAP runs it in templates/both_parsers_agree_on_the_grammar_corpus.test.sql.
 */
import assert from "node:assert/strict";
import { compileSource } from "./compile.ts";
import { TemplateSyntaxError } from "./errors.ts";
import type { TemplateRef } from "./types.ts";

interface GrammarCase {
  name: string;
  source: string;
  includes?: TemplateRef[];
  error?: { offset: number; detail: string };
}

const corpus = JSON.parse(
  await Deno.readTextFile(new URL("./grammar_cases.json", import.meta.url)),
) as { cases: GrammarCase[] };

Deno.test("the corpus has valid and malformed cases", () => {
  assert.ok(corpus.cases.filter((entry) => entry.includes !== undefined).length >= 5);
  assert.ok(corpus.cases.filter((entry) => entry.error !== undefined).length >= 5);
});

for (const entry of corpus.cases) {
  Deno.test(`grammar corpus: ${entry.name}`, () => {
    if (entry.error === undefined) {
      assert.deepEqual(
        compileSource(entry.source).includes.map((call) => call.ref),
        entry.includes,
      );
      return;
    }
    assert.throws(() => compileSource(entry.source), (error: unknown) => {
      assert.ok(error instanceof TemplateSyntaxError, String(error));
      // The engine frames an include error as "malformed xnovu_render: <detail>".
      const detail = error.detail.replace(/^malformed xnovu_render: /, "");
      assert.deepEqual({ offset: error.offset, detail }, entry.error);
      return true;
    });
  });
}
