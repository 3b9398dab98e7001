import assert from "node:assert/strict";
import { createTemplateEngine } from "./engine.ts";
import { createMemoryTemplateLoader } from "./memory_loader.ts";
import { smsSegments, toPlainText } from "./channels.ts";
import { ENTERPRISE_A, templateRow } from "./test_support.ts";
import type { Channel } from "../channels.ts";
import type { TemplateVariables } from "./types.ts";

async function renderInline(channel: Channel, body: string, variables: TemplateVariables) {
  const engine = createTemplateEngine({ loader: createMemoryTemplateLoader([]) });
  return await engine.renderInline({
    enterpriseId: ENTERPRISE_A,
    template: { channel, body },
    variables,
  });
}

const MALICIOUS = {
  script: "<script>alert(1)</script>",
  closing: "</script ><script >alert(1)</script >",
  nested: "<scr<script>ipt>alert(1)</script>",
  quote: '" onerror="alert(1)',
  link: "javascript:alert(1)",
  spacedLink: " \tJaVaScRiPt:alert(1)",
  dataLink: "data:text/html,<script>alert(1)</script>",
  tag: "img src=x onerror=alert(1)",
};

Deno.test("EMAIL: data in text and quoted attributes is escaped, never markup", async () => {
  const { body } = await renderInline(
    "EMAIL",
    "<p>{{script}}|{{{closing}}}|{{&nested}}</p><img alt=\"{{quote}}\" title='{{quote}}'>",
    MALICIOUS,
  );
  assert.equal(
    body,
    "<p>&lt;script&gt;alert(1)&lt;&#x2F;script&gt;|" +
      "&lt;&#x2F;script &gt;&lt;script &gt;alert(1)&lt;&#x2F;script &gt;|" +
      "&lt;scr&lt;script&gt;ipt&gt;alert(1)&lt;&#x2F;script&gt;</p>" +
      "<img alt=\"&quot; onerror&#x3D;&quot;alert(1)\" title='&quot; onerror&#x3D;&quot;alert(1)'>",
  );
});

Deno.test("EMAIL: data cannot make a URL attribute run script", async () => {
  const { body } = await renderInline(
    "EMAIL",
    '<a href="{{link}}">a</a><a href=" {{spacedLink}}">b</a><img src="{{dataLink}}">' +
      '<a href="{{scheme}}{{rest}}">c</a><a href="https://x.test/?q={{link}}">d</a>' +
      '<a href="{{safe}}">e</a><a href="{{relative}}">f</a><a href="{{mail}}">g</a>',
    {
      ...MALICIOUS,
      scheme: "javascript",
      rest: ":alert(1)",
      safe: "https://example.test/a?b=1&c=2",
      relative: "/alerts/7#top",
      mail: "mailto:ops@example.test",
    },
  );
  assert.equal(
    body,
    '<a href="about:invalid">a</a><a href="about:invalid">b</a><img src="about:invalid">' +
      '<a href="about:invalid">c</a>' +
      '<a href="https://x.test/?q=javascript:alert(1)">d</a>' +
      '<a href="https:&#x2F;&#x2F;example.test&#x2F;a?b&#x3D;1&amp;c&#x3D;2">e</a>' +
      '<a href="&#x2F;alerts&#x2F;7#top">f</a><a href="mailto:ops@example.test">g</a>',
  );
});

Deno.test("EMAIL: a URL whose scheme data decides is judged whole, wherever the data sits", async () => {
  const { body } = await renderInline(
    "EMAIL",
    '<a href="{{scheme}}://{{host}}/x">u</a><a href="{{s}}:{{r}}">v</a><a href="java{{b}}">w</a>' +
      '<a href="java&#115;{{c}}">x</a><img srcset="{{img}} 1x, {{s}}:{{r}} 2x">' +
      '<meta http-equiv="refresh" content="0; url={{s}}:{{r}}">' +
      '<meta http-equiv="Refresh" content="5;URL=\'{{target}}\'">' +
      '<a href="{{forged}}">y</a>',
    {
      scheme: "javascript",
      host: "%0aalert(1)",
      s: "javascript",
      r: "alert(1)",
      b: "script:alert(1)",
      c: "cript:alert(1)",
      img: "https://cdn.example.test/a.png",
      target: "https://example.test/next",
      // Guard characters in data cannot open or close a judged value.
      forged: "\uE011javascript:alert(1)\uE010u",
    },
  );
  assert.equal(
    body,
    '<a href="about:invalid">u</a><a href="about:invalid">v</a><a href="about:invalid">w</a>' +
      '<a href="about:invalid">x</a><img srcset="about:invalid">' +
      '<meta http-equiv="refresh" content="">' +
      '<meta http-equiv="Refresh" content="5;URL=\'https:&#x2F;&#x2F;example.test&#x2F;next\'">' +
      '<a href="about:invalid">y</a>',
  );
});

Deno.test("EMAIL: URLs assembled from safe data, or in a section, keep their value", async () => {
  const { body } = await renderInline(
    "EMAIL",
    '<a href="https://{{host}}/{{path}}?q={{q}}">a</a>' +
      '<a href="{{#secure}}https{{/secure}}{{^secure}}http{{/secure}}://{{host}}">b</a>' +
      '{{#links}}<a href="{{url}}">{{label}}</a>{{/links}}',
    {
      host: "example.test",
      path: "alerts",
      q: "javascript:alert(1)",
      secure: true,
      links: [{ url: "mailto:ops@example.test", label: "m" }, { url: "vbscript:x", label: "v" }],
    },
  );
  assert.equal(
    body,
    '<a href="https://example.test/alerts?q=javascript:alert(1)">a</a>' +
      '<a href="https://example.test">b</a>' +
      '<a href="mailto:ops@example.test">m</a><a href="about:invalid">v</a>',
  );
});

Deno.test("EMAIL: an include inside a URL attribute is judged with the attribute", async () => {
  const engine = createTemplateEngine({
    loader: createMemoryTemplateLoader([
      templateRow("link-target", "{{s}}:{{r}}"),
      templateRow("mail", `<a href="{{ xnovu_render('link-target') }}">open</a>`),
    ]),
  });
  const { body } = await engine.render({
    enterpriseId: ENTERPRISE_A,
    template: { key: "mail" },
    variables: { s: "javascript", r: "alert(1)" },
  });
  assert.equal(body, '<a href="about:invalid">open</a>');
});

Deno.test("EMAIL: data in CSS is a plain value or nothing", async () => {
  const { body } = await renderInline(
    "EMAIL",
    '<div style="background: url({{img}})">a</div><div style="background: url(\'{{safe}}\')">b</div>' +
      '<p style="color: {{color}}">c</p><p style="color: {{plain}}; margin: 0">d</p>' +
      '<p style="width: {{width}}">e</p><p style="x: {{escaped}}">f</p>' +
      "<style>p { background: url({{img}}) }</style>",
    {
      img: "javascript:alert(1)",
      safe: "https://cdn.example.test/a.png",
      color: "red; background: url(javascript:alert(1))",
      plain: "#ff0000",
      width: "expression(alert(1))",
      escaped: "\\75 rl(javascript:alert(1))",
    },
  );
  assert.equal(
    body,
    '<div style="">a</div>' +
      "<div style=\"background: url('https:&#x2F;&#x2F;cdn.example.test&#x2F;a.png')\">b</div>" +
      '<p style="">c</p><p style="color: #ff0000; margin: 0">d</p>' +
      '<p style="">e</p><p style="">f</p>' +
      "<style>p { background: url() }</style>",
  );
});

Deno.test("EMAIL: data in handlers, tag or attribute names, srcdoc and scripts renders as nothing", async () => {
  const { body } = await renderInline(
    "EMAIL",
    '<button onclick="go({{quote}})">x</button><{{tag}}><h{{tag}}>t</h1>' +
      '<div {{tag}}>y</div><iframe srcdoc="{{script}}"></iframe>' +
      "<script>var a = '{{quote}}';</script><style>p { color: {{quote}} }</style>",
    MALICIOUS,
  );
  assert.equal(
    body,
    '<button onclick="go()">x</button><><h>t</h1><div >y</div><iframe srcdoc=""></iframe>' +
      "<script>var a = '';</script><style>p { color:  }</style>",
  );
});

Deno.test("IN_APP: restricted HTML keeps the allow-list and drops everything else", async () => {
  const { body } = await renderInline(
    "IN_APP",
    '<h1>Alert</h1><p class="x">Fire on <b>{{floor}}</b> <em>now</em></p>' +
      '<a href="https://x.test/a" target="_blank" onclick="x()">open</a>' +
      '<a href="javascript:alert(1)">bad</a><img src=x onerror=alert(1)>' +
      "<ul><li><span>{{script}}</span></li></ul><script>alert(2)</script>" +
      '<a href="{{link}}">data link</a>{{{nested}}}',
    { ...MALICIOUS, floor: 3 },
  );
  assert.equal(
    body,
    "Alert<p>Fire on <b>3</b> <em>now</em></p>" +
      '<a href="https://x.test/a">open</a><a>bad</a>' +
      "<ul><li><span>&lt;script&gt;alert(1)&lt;/script&gt;</span></li></ul>" +
      "<a>data link</a>&lt;scr&lt;script&gt;ipt&gt;alert(1)&lt;/script&gt;",
  );
});

Deno.test("SMS: tags stripped, entities decoded, whitespace collapsed, data kept as text", async () => {
  const result = await renderInline(
    "SMS",
    "<h1>Fire  alarm</h1>\n<p>Floor&nbsp;{{floor}} &amp; {{zone}}</p><br>" +
      "<script>ignored()</script><style>p{}</style>Call&#32;{{phone}} &lt;now&gt;",
    { floor: 3, zone: "A & B <east>", phone: "112" },
  );
  assert.deepEqual(result, {
    channel: "SMS",
    body: "Fire alarm Floor 3 & A & B <east> Call 112 <now>",
    templatesUsed: [],
    smsSegments: 1,
    smsEncoding: "GSM-7",
  });
});

Deno.test("PUSH and CHAT are plain text too", async () => {
  for (const channel of ["PUSH", "CHAT"] as const) {
    const result = await renderInline(channel, "<p>Door <b>{{door}}</b>\n\n open</p>", {
      door: "7",
    });
    assert.deepEqual(result, { channel, body: "Door 7 open", templatesUsed: [] });
  }
});

Deno.test("SMS segments: GSM-7 160 per single part, 153 per part beyond", () => {
  assert.deepEqual(smsSegments("a".repeat(160)), { segments: 1, encoding: "GSM-7" });
  assert.deepEqual(smsSegments("a".repeat(161)), { segments: 2, encoding: "GSM-7" });
  assert.deepEqual(smsSegments("a".repeat(306)), { segments: 2, encoding: "GSM-7" });
  assert.deepEqual(smsSegments("a".repeat(307)), { segments: 3, encoding: "GSM-7" });
});

Deno.test("SMS segments: a character outside GSM-7 switches to UCS-2, 70 single and 67 per part", () => {
  assert.deepEqual(smsSegments("Fire 🔥"), { segments: 1, encoding: "UCS-2" });
  assert.deepEqual(smsSegments("ж".repeat(70)), { segments: 1, encoding: "UCS-2" });
  assert.deepEqual(smsSegments("ж".repeat(71)), { segments: 2, encoding: "UCS-2" });
  assert.deepEqual(smsSegments("ж".repeat(134)), { segments: 2, encoding: "UCS-2" });
  assert.deepEqual(smsSegments("ж".repeat(135)), { segments: 3, encoding: "UCS-2" });
});

Deno.test("an SMS render reports the segments of the final text", async () => {
  const engine = createTemplateEngine({
    loader: createMemoryTemplateLoader([
      templateRow("long", "<p>{{text}}</p>", { channel_type: "SMS" }),
    ]),
  });
  const render = (text: string) =>
    engine.render({ enterpriseId: ENTERPRISE_A, template: { key: "long" }, variables: { text } });
  const single = await render("x".repeat(160));
  assert.equal(single.smsSegments, 1);
  const double = await render("x".repeat(161));
  assert.equal(double.smsSegments, 2);
  const emoji = await render("Evacuate now 🚨");
  assert.equal(emoji.smsEncoding, "UCS-2");
  assert.equal(emoji.smsSegments, 1);
});

Deno.test("plain text separates block elements but not inline ones", () => {
  assert.equal(toPlainText("<b>Hi</b>, <i>you</i><br/>next<li>item</li>"), "Hi, you next item");
});
