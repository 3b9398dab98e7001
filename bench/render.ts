/**
 * Throughput and latency of a cached, 3-level nested EMAIL render on one core.
 *
 *     deno run --allow-env bench/render.ts [renders=200000]
 *
 * (`--allow-env`: sanitize-html reads the environment when it loads.)
 *
 * Target: at least 50,000 renders/s and a p99 under 0.5 ms.
 */
import {
  createMemoryTemplateLoader,
  createTemplateEngine,
  type TemplateRecord,
} from "../shared/templates/mod.ts";

const ENTERPRISE = "00000000-0000-0000-0000-00000000000a";
const RENDERS = Number(Deno.args[0] ?? 200_000);
const WARMUP = 20_000;

function row(id: number, key: string, subject: string | null, body: string): TemplateRecord {
  return {
    id,
    template_key: key,
    enterprise_id: id === 1 ? ENTERPRISE : null,
    channel_type: "EMAIL",
    subject_template: subject,
    body_template: body,
    variables_description: { site: { default: "Head office" } },
    updated_at: "2025-01-01T00:00:00Z",
    publish_status: "PUBLISH",
    deactivated: false,
  };
}

const templates = [
  row(
    1,
    "fire-alarm-email",
    "Fire alarm: {{building.name}}, floor {{floor}}",
    `<html><body>
{{ xnovu_render('email-layout', { title: 'Fire alarm', severity: level }) }}
<p>Dear {{recipient.name}},</p>
<p>A fire alarm was raised in <b>{{building.name}}</b> on floor {{floor}} at {{time}}.</p>
<ul>{{#exits}}<li>{{name}}: {{distance}} m</li>{{/exits}}</ul>
<a href="{{link}}">Open the incident</a>
</body></html>`,
  ),
  row(
    2,
    "email-layout",
    null,
    `<header><h1>{{title}}</h1><span class="sev">{{severity}}</span>
{{ xnovu_render('email-footer', { team: 'Building operations' }) }}</header>`,
  ),
  row(
    3,
    "email-footer",
    null,
    `<footer>{{team}} · {{site}} · <a href="{{unsubscribe}}">unsubscribe</a></footer>`,
  ),
];

const engine = createTemplateEngine({
  loader: createMemoryTemplateLoader(templates),
  cacheTtlMs: 60 * 60 * 1000,
});
const request = {
  enterpriseId: ENTERPRISE,
  template: { key: "fire-alarm-email" },
  channel: "EMAIL" as const,
  variables: {
    recipient: { name: "Ada <Lovelace>" },
    building: { name: "Tower A" },
    floor: 7,
    time: "12:04",
    level: "critical",
    exits: [{ name: "North stair", distance: 12 }, { name: "South stair", distance: 30 }],
    link: "https://ops.example.test/incidents/42",
    unsubscribe: "https://ops.example.test/unsubscribe?u=1",
  },
};

const first = await engine.render(request);
if (first.templatesUsed.length !== 3) throw new Error("expected a 3-level render");
for (let index = 0; index < WARMUP; index++) await engine.render(request);

const latencies = new Float64Array(RENDERS);
const started = performance.now();
for (let index = 0; index < RENDERS; index++) {
  const before = performance.now();
  await engine.render(request);
  latencies[index] = performance.now() - before;
}
const elapsedMs = performance.now() - started;
latencies.sort();
const percentile = (p: number) => latencies[Math.min(RENDERS - 1, Math.floor(RENDERS * p))];

console.log(`renders: ${RENDERS} (3-level nested EMAIL, cached, single process)`);
console.log(`renders/s: ${Math.round(RENDERS / (elapsedMs / 1000))}`);
console.log(`p50 ms: ${percentile(0.5).toFixed(4)}`);
console.log(`p99 ms: ${percentile(0.99).toFixed(4)}`);
console.log(`max ms: ${latencies[RENDERS - 1].toFixed(4)}`);
