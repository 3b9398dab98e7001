/** Issue 7, findings 1 and 3: a render is bounded in size, time and section nesting. */
import assert from "node:assert/strict";
import { MAX_RENDERED_CHARS, MAX_SECTION_DEPTH } from "./compile.ts";
import { MAX_SMS_CHARS } from "./channels.ts";
import { createTemplateEngine } from "./engine.ts";
import { TemplateLimitError, TemplateSyntaxError } from "./errors.ts";
import { createMemoryTemplateLoader } from "./memory_loader.ts";
import { ENTERPRISE_A, templateRow } from "./test_support.ts";

const nestedSections = (depth: number, inner: string) =>
  "{{#a}}".repeat(depth) + inner + "{{/a}}".repeat(depth);

function inlineRender(
  body: string,
  variables: Record<string, unknown>,
  options: { now?: () => number; renderBudgetMs?: number; channel?: "EMAIL" | "SMS" } = {},
) {
  const engine = createTemplateEngine({ loader: createMemoryTemplateLoader([]), ...options });
  return engine.renderInline({
    enterpriseId: ENTERPRISE_A,
    template: { body, channel: options.channel ?? "EMAIL" },
    variables,
  });
}

Deno.test("sections nested deeper than the limit are refused when the template compiles", async () => {
  const items = Array.from({ length: 2 }, () => ({}));
  const atLimit = await inlineRender(nestedSections(MAX_SECTION_DEPTH, "x"), { a: items });
  assert.equal(atLimit.body, "x".repeat(2 ** MAX_SECTION_DEPTH));
  await assert.rejects(
    inlineRender(nestedSections(MAX_SECTION_DEPTH + 1, "x"), { a: items }),
    (error: unknown) =>
      error instanceof TemplateSyntaxError && /sections nested deeper than 6/.test(error.message),
  );
});

Deno.test("the crash of finding 1 (sections 6 deep over 20 items) stops at a bound, fast", async () => {
  const started = performance.now();
  await assert.rejects(
    inlineRender(nestedSections(6, "<p>{{title}}</p>"), {
      a: Array.from({ length: 20 }, () => ({})),
      title: "Elevator",
    }),
    // Whichever bound comes first on a busy machine: the output (usually) or the time budget.
    (error: unknown) =>
      error instanceof TemplateLimitError && error.code === "TEMPLATE_LIMIT_EXCEEDED" &&
      (error.message.includes(`exceeds ${MAX_RENDERED_CHARS} characters`) ||
        error.message.includes("rendering took longer than")),
  );
  // Informational bound only (generous for a shared machine): it used to run out of memory.
  assert.ok(performance.now() - started < 5_000);
});

Deno.test("a render that emits little but loops long stops at its time budget", async () => {
  let now = 0;
  // Every look at the clock moves it 1 ms: the budget of 50 ms runs out after ~50 looks.
  const clock = () => now++;
  await assert.rejects(
    inlineRender(nestedSections(6, ""), { a: Array.from({ length: 20 }, () => ({})) }, {
      now: clock,
      renderBudgetMs: 50,
    }),
    (error: unknown) =>
      error instanceof TemplateLimitError && /longer than 50 ms/.test(error.message),
  );
});

Deno.test("an included template's output counts against the same budget", async () => {
  const engine = createTemplateEngine({
    loader: createMemoryTemplateLoader([
      templateRow("big", "{{#items}}{{text}}{{/items}}"),
      templateRow("page", "{{ xnovu_render('big') }}{{ xnovu_render('big') }}"),
    ]),
  });
  const text = "y".repeat(1000);
  const items = Array.from({ length: Math.ceil(MAX_RENDERED_CHARS / 2 / 1000) + 1 }, () => ({}));
  await assert.rejects(
    engine.render({
      enterpriseId: ENTERPRISE_A,
      template: { key: "page" },
      variables: { items, text },
    }),
    TemplateLimitError,
  );
});

Deno.test("an SMS body longer than one SMS can carry is refused before its segments are counted", async () => {
  const started = performance.now();
  await assert.rejects(
    inlineRender("{{title}}", { title: "t".repeat(48 * 1024) }, { channel: "SMS" }),
    (error: unknown) =>
      error instanceof TemplateLimitError &&
      error.message.includes(`more than the ${MAX_SMS_CHARS} one SMS can carry`),
  );
  assert.ok(performance.now() - started < 3_000, "refused without counting (48 KB took minutes)");
  const longest = await inlineRender("{{title}}", { title: "t".repeat(MAX_SMS_CHARS) }, {
    channel: "SMS",
  });
  assert.equal(longest.smsSegments, Math.ceil(MAX_SMS_CHARS / 153));
});
