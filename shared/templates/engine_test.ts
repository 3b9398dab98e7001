import assert from "node:assert/strict";
import { createTemplateEngine } from "./engine.ts";
import { createMemoryTemplateLoader } from "./memory_loader.ts";
import {
  TemplateCycleError,
  TemplateDepthError,
  TemplateNotFoundError,
  TemplateSyntaxError,
} from "./errors.ts";
import { ENTERPRISE_A, ENTERPRISE_B, templateRow } from "./test_support.ts";
import type { TemplateRecord } from "./types.ts";

function engineOver(records: TemplateRecord[], maxDepth?: number) {
  return createTemplateEngine({ loader: createMemoryTemplateLoader(records), maxDepth });
}

async function renderBody(
  records: TemplateRecord[],
  key: string,
  variables: Record<string, unknown> = {},
): Promise<string> {
  const result = await engineOver(records).render({
    enterpriseId: ENTERPRISE_A,
    template: { key },
    variables,
  });
  return result.body;
}

Deno.test("simple and dotted variables", async () => {
  const body = await renderBody(
    [templateRow("greet", "Hello {{name}} of {{user.address.city}}")],
    "greet",
    { name: "Ada", user: { address: { city: "Zürich" } } },
  );
  assert.equal(body, "Hello Ada of Zürich");
});

Deno.test("a missing variable renders as nothing", async () => {
  assert.equal(await renderBody([templateRow("greet", "Hello {{name}}!")], "greet"), "Hello !");
});

Deno.test("sections iterate and invert", async () => {
  const body = await renderBody(
    [templateRow("list", "{{#floors}}[{{.}}]{{/floors}}{{^alarm}}calm{{/alarm}}")],
    "list",
    { floors: [1, 2], alarm: false },
  );
  assert.equal(body, "[1][2]calm");
});

Deno.test("subject and body of an email are both rendered; the subject is plain text", async () => {
  const result = await engineOver([
    templateRow("alert", "<p>Evacuate {{building}}</p>", {
      subject_template: "Alarm in {{building}}",
    }),
  ]).render({
    enterpriseId: ENTERPRISE_A,
    template: { key: "alert" },
    channel: "EMAIL",
    variables: { building: "<Tower> & Co" },
  });
  assert.deepEqual(result, {
    channel: "EMAIL",
    subject: "Alarm in <Tower> & Co",
    body: "<p>Evacuate &lt;Tower&gt; &amp; Co</p>",
    templatesUsed: ["alert"],
  });
});

Deno.test("an include without arguments sees the caller's variables", async () => {
  const body = await renderBody(
    [
      templateRow("page", "<main>{{ xnovu_render('footer') }}</main>"),
      templateRow("footer", "<footer>Bye {{name}}</footer>"),
    ],
    "page",
    { name: "Ada" },
  );
  assert.equal(body, "<main><footer>Bye Ada</footer></main>");
});

Deno.test("include arguments: literals and paths, overriding the caller's context", async () => {
  const body = await renderBody(
    [
      templateRow(
        "page",
        "{{ xnovu_render('card', { name: 'Guest', floor: site.floor, n: 3, ok: true }) }} {{name}}",
      ),
      templateRow("card", "{{name}}/{{floor}}/{{n}}/{{ok}}"),
    ],
    "page",
    { name: "Ada", site: { floor: 7 } },
  );
  assert.equal(body, "Guest/7/3/true Ada");
});

Deno.test("defaults from variables_description are the lowest precedence", async () => {
  const records = [
    templateRow("page", "{{ xnovu_render('card', { title: 'From args' }) }}|{{who}}", {
      variables_description: { who: { default: "Resident", description: "addressee" } },
    }),
    templateRow("card", "{{title}}/{{who}}/{{site.name}}/{{plain}}/{{described}}", {
      variables_description: {
        title: { default: "Default title" },
        who: { default: "Card default" },
        "site.name": { default: "HQ" },
        plain: "plain default",
        described: { description: "no default here" },
      },
    }),
  ];
  assert.equal(
    await renderBody(records, "page"),
    "From args/Card default/HQ/plain default/|Resident",
  );
  assert.equal(
    await renderBody(records, "page", { who: "Ada", site: { name: "Annex" } }),
    "From args/Ada/Annex/plain default/|Ada",
  );
});

Deno.test("an argument whose path is missing falls back to the included template's default", async () => {
  const body = await renderBody([
    templateRow("page", "{{ xnovu_render('card', { who: user.name }) }}"),
    templateRow("card", "{{who}}", { variables_description: { who: { default: "Resident" } } }),
  ], "page");
  assert.equal(body, "Resident");
});

Deno.test("an include inside a section renders per item, with the item in scope", async () => {
  const body = await renderBody(
    [
      templateRow(
        "list",
        "<ul>{{#rooms}}{{ xnovu_render('row', { label: name }) }}{{/rooms}}</ul>",
      ),
      templateRow("row", "<li>{{label}} in {{building}}</li>"),
    ],
    "list",
    { building: "B1", rooms: [{ name: "101" }, { name: "102" }] },
  );
  assert.equal(body, "<ul><li>101 in B1</li><li>102 in B1</li></ul>");
});

Deno.test("three levels deep, with templates listed in order of first use", async () => {
  const result = await engineOver([
    templateRow("level1", "1[{{ xnovu_render('level2', { a: 'x' }) }}]{{ xnovu_render('leaf') }}"),
    templateRow("level2", "2[{{ xnovu_render('level3') }}|{{a}}]"),
    templateRow("level3", "3[{{ xnovu_render('leaf') }}]"),
    templateRow("leaf", "{{a}}{{name}}"),
  ]).render({ enterpriseId: ENTERPRISE_A, template: { key: "level1" }, variables: { name: "N" } });
  assert.equal(result.body, "1[2[3[xN]|x]]N");
  assert.deepEqual(result.templatesUsed, ["level1", "level2", "level3", "leaf"]);
});

Deno.test("templates can be included and rendered by numeric id", async () => {
  const leaf = templateRow("leaf", "leaf {{v}}");
  const result = await engineOver([
    leaf,
    templateRow(
      "root",
      `{{ xnovu_render(${leaf.id}, { v: 1 }) }}/{{ xnovu_render('${leaf.id}') }}`,
    ),
  ]).render({ enterpriseId: ENTERPRISE_A, template: { key: "root" } });
  assert.equal(result.body, "leaf 1/leaf ");
  const byId = await engineOver([leaf]).render({
    enterpriseId: ENTERPRISE_A,
    template: { id: leaf.id },
    variables: { v: 2 },
  });
  assert.equal(byId.body, "leaf 2");
});

function chainOf(prefix: string, depth: number): TemplateRecord[] {
  return Array.from({ length: depth + 1 }, (_, level) =>
    templateRow(
      `${prefix}${level}`,
      level < depth ? `${level}>{{ xnovu_render('${prefix}${level + 1}') }}` : "end",
    ));
}

Deno.test("includes up to maxDepth render; one level more is a depth error naming the chain", async () => {
  const atLimit = await engineOver(chainOf("ok", 3), 3).render({
    enterpriseId: ENTERPRISE_A,
    template: { key: "ok0" },
  });
  assert.equal(atLimit.body, "0>1>2>end");

  await assert.rejects(
    engineOver(chainOf("deep", 4), 3).render({
      enterpriseId: ENTERPRISE_A,
      template: { key: "deep0" },
    }),
    (error: unknown) => {
      assert.ok(error instanceof TemplateDepthError);
      assert.equal(error.code, "TEMPLATE_DEPTH_EXCEEDED");
      assert.deepEqual(error.chain, ["deep0", "deep1", "deep2", "deep3", "deep4"]);
      assert.match(error.message, /limit of 3/);
      return true;
    },
  );
});

Deno.test("the default depth limit is 10", async () => {
  const engine = engineOver([...chainOf("ten", 10), ...chainOf("eleven", 11)]);
  const ten = await engine.render({ enterpriseId: ENTERPRISE_A, template: { key: "ten0" } });
  assert.equal(ten.body, "0>1>2>3>4>5>6>7>8>9>end");
  await assert.rejects(
    engine.render({ enterpriseId: ENTERPRISE_A, template: { key: "eleven0" } }),
    TemplateDepthError,
  );
});

Deno.test("a cycle is an error whose message shows the chain", async () => {
  await assert.rejects(
    renderBody([
      templateRow("a", "A{{ xnovu_render('b') }}"),
      templateRow("b", "B{{ xnovu_render('a') }}"),
    ], "a"),
    (error: unknown) => {
      assert.ok(error instanceof TemplateCycleError);
      assert.equal(error.code, "TEMPLATE_CYCLE");
      assert.deepEqual(error.chain, ["a", "b", "a"]);
      assert.match(error.message, /a → b → a/);
      return true;
    },
  );
});

Deno.test("a template including itself is a cycle", async () => {
  await assert.rejects(
    renderBody([templateRow("self", "{{#x}}{{ xnovu_render('self') }}{{/x}}")], "self"),
    /self → self/,
  );
});

Deno.test("a missing template is an error naming the chain", async () => {
  await assert.rejects(
    renderBody([
      templateRow("page", "{{ xnovu_render('middle') }}"),
      templateRow("middle", "{{ xnovu_render('gone') }}"),
    ], "page"),
    (error: unknown) => {
      assert.ok(error instanceof TemplateNotFoundError);
      assert.equal(error.code, "TEMPLATE_NOT_FOUND");
      assert.deepEqual(error.chain, ["page", "middle", "gone"]);
      assert.equal(error.message, "template gone not found (chain: page → middle → gone)");
      return true;
    },
  );
  await assert.rejects(renderBody([], "nothing"), TemplateNotFoundError);
});

Deno.test("a malformed include or mustache tag is a syntax error naming the chain", async () => {
  await assert.rejects(
    renderBody([
      templateRow("page", "ok {{ xnovu_render('bad') }}"),
      templateRow("bad", "line\n {{ xnovu_render('x', { y: }) }}"),
    ], "page"),
    (error: unknown) => {
      assert.ok(error instanceof TemplateSyntaxError);
      assert.deepEqual(error.chain, ["page", "bad"]);
      assert.equal(error.line, 2);
      return true;
    },
  );
  await assert.rejects(
    renderBody([templateRow("open", "{{#items}} never closed")], "open"),
    (error: unknown) => {
      assert.ok(error instanceof TemplateSyntaxError);
      assert.match(error.message, /Unclosed section "items"/);
      assert.deepEqual(error.chain, ["open"]);
      return true;
    },
  );
});

Deno.test("an enterprise template shadows the shared one with the same key", async () => {
  const records = [
    templateRow("footer", "shared footer"),
    templateRow("footer", "footer of A", { enterprise_id: ENTERPRISE_A }),
    templateRow("page", "[{{ xnovu_render('footer') }}]"),
  ];
  const engine = engineOver(records);
  const forA = await engine.render({ enterpriseId: ENTERPRISE_A, template: { key: "page" } });
  const forB = await engine.render({ enterpriseId: ENTERPRISE_B, template: { key: "page" } });
  assert.equal(forA.body, "[footer of A]");
  assert.equal(forB.body, "[shared footer]");
});

Deno.test("another enterprise's template is never found, by key or by id", async () => {
  const secret = templateRow("secret", "B only", { enterprise_id: ENTERPRISE_B });
  const engine = engineOver([
    secret,
    templateRow("page", `{{ xnovu_render(${secret.id}) }}`, { enterprise_id: ENTERPRISE_A }),
  ]);
  await assert.rejects(
    engine.render({ enterpriseId: ENTERPRISE_A, template: { key: "secret" } }),
    TemplateNotFoundError,
  );
  await assert.rejects(
    engine.render({ enterpriseId: ENTERPRISE_A, template: { id: secret.id } }),
    TemplateNotFoundError,
  );
  await assert.rejects(
    engine.render({ enterpriseId: ENTERPRISE_A, template: { key: "page" } }),
    (error: unknown) => error instanceof TemplateNotFoundError && error.ref === `#${secret.id}`,
  );
  const own = await engine.render({ enterpriseId: ENTERPRISE_B, template: { key: "secret" } });
  assert.equal(own.body, "B only");
});

Deno.test("unpublished and deactivated templates are not found", async () => {
  const engine = engineOver([
    templateRow("draft", "draft", { publish_status: "DRAFT" }),
    templateRow("off", "off", { deactivated: true }),
    templateRow("uses-draft", "{{ xnovu_render('draft') }}"),
  ]);
  for (const key of ["draft", "off", "uses-draft"]) {
    await assert.rejects(
      engine.render({ enterpriseId: ENTERPRISE_A, template: { key } }),
      TemplateNotFoundError,
    );
  }
});

Deno.test("the root must match a requested channel; includes of any channel are allowed", async () => {
  const engine = engineOver([
    templateRow("sms-text", "Alarm {{ xnovu_render('partial') }}", { channel_type: "SMS" }),
    templateRow("partial", "<b>now</b>", { channel_type: "EMAIL" }),
  ]);
  await assert.rejects(
    engine.render({ enterpriseId: ENTERPRISE_A, template: { key: "sms-text" }, channel: "EMAIL" }),
    TemplateNotFoundError,
  );
  const sms = await engine.render({
    enterpriseId: ENTERPRISE_A,
    template: { key: "sms-text" },
    channel: "SMS",
  });
  assert.equal(sms.body, "Alarm now");
  const ownChannel = await engine.render({
    enterpriseId: ENTERPRISE_A,
    template: { key: "sms-text" },
  });
  assert.equal(ownChannel.channel, "SMS");
});

Deno.test("inline templates render with includes resolved through the loader", async () => {
  const engine = engineOver([
    templateRow("sig", "<i>{{team}}</i>", { variables_description: { team: "Ops" } }),
  ]);
  const result = await engine.renderInline({
    enterpriseId: ENTERPRISE_A,
    template: {
      channel: "IN_APP",
      subject: "Hi {{name}}",
      body: "<p>Hello {{name}}</p>{{ xnovu_render('sig') }}<div>x</div>",
      variablesDescription: { name: { default: "there" } },
    },
  });
  assert.deepEqual(result, {
    channel: "IN_APP",
    subject: "Hi there",
    body: "<p>Hello there</p><i>Ops</i>x",
    templatesUsed: ["sig"],
  });
});

Deno.test("inline template errors name the inline template first", async () => {
  const engine = engineOver(chainOf("inl", 2), 2);
  await assert.rejects(
    engine.renderInline({
      enterpriseId: ENTERPRISE_A,
      template: { channel: "EMAIL", body: "{{ xnovu_render('nope') }}" },
    }),
    (error: unknown) =>
      error instanceof TemplateNotFoundError && error.chain.join(" → ") === "(inline) → nope",
  );
  await assert.rejects(
    engine.renderInline({
      enterpriseId: ENTERPRISE_A,
      template: { channel: "EMAIL", body: "{{ xnovu_render('inl0') }}" },
    }),
    (error: unknown) =>
      error instanceof TemplateDepthError &&
      error.chain.join(" → ") === "(inline) → inl0 → inl1 → inl2",
  );
  await assert.rejects(
    engine.renderInline({
      enterpriseId: ENTERPRISE_A,
      template: { channel: "SMS", body: "{{#a}}" },
    }),
    (error: unknown) => error instanceof TemplateSyntaxError && error.chain[0] === "(inline)",
  );
});
