import assert from "node:assert/strict";
import { createTemplateEngine } from "./engine.ts";
import { countingLoader, ENTERPRISE_A, ENTERPRISE_B, templateRow } from "./test_support.ts";
import type { TemplateRecord } from "./types.ts";

function nestedEmail(): TemplateRecord[] {
  return [
    templateRow("mail", "<html>{{ xnovu_render('layout', { title: 'Alarm' }) }}</html>", {
      subject_template: "Alarm {{site}}",
    }),
    templateRow("layout", "<h1>{{title}}</h1>{{ xnovu_render('footer') }}"),
    templateRow("footer", "<p>{{site}}</p>"),
  ];
}

function setup(records = nestedEmail(), ttlMs = 1000) {
  const clock = { now: 0 };
  const loader = countingLoader(records);
  const engine = createTemplateEngine({ loader, cacheTtlMs: ttlMs, now: () => clock.now });
  const render = (enterpriseId = ENTERPRISE_A) =>
    engine.render({
      enterpriseId,
      template: { key: "mail" },
      channel: "EMAIL",
      variables: { site: "HQ" },
    });
  return { clock, loader, engine, render, records };
}

Deno.test("within the TTL a cached 3-level render makes no loader call", async () => {
  const { clock, loader, render } = setup();
  const first = await render();
  assert.equal(first.body, "<html><h1>Alarm</h1><p>HQ</p></html>");
  assert.equal(loader.calls, 3);
  clock.now = 999;
  const second = await render();
  assert.deepEqual(second, first);
  assert.equal(loader.calls, 3);
});

Deno.test("after the TTL the graph is loaded again and edits are seen", async () => {
  const { clock, loader, render, records } = setup();
  await render();
  records[2].body_template = "<p>edited {{site}}</p>";
  records[2].updated_at = "2025-02-01T00:00:00Z";
  clock.now = 999;
  assert.equal((await render()).body, "<html><h1>Alarm</h1><p>HQ</p></html>");
  clock.now = 1000;
  assert.equal((await render()).body, "<html><h1>Alarm</h1><p>edited HQ</p></html>");
  assert.equal(loader.calls, 6);
});

Deno.test("a reloaded row with the same updated_at reuses its compiled form", async () => {
  const { clock, render, records } = setup();
  await render();
  // Changing the source without touching updated_at is not a real edit: the compiled row stays.
  records[2].body_template = "<p>not recompiled</p>";
  clock.now = 5000;
  assert.equal((await render()).body, "<html><h1>Alarm</h1><p>HQ</p></html>");
});

Deno.test("invalidate by id, by key, by enterprise, and clear drop the cache", async () => {
  const { loader, engine, render, records } = setup();
  await render();
  await render(ENTERPRISE_B);
  assert.equal(loader.calls, 6);

  engine.invalidate({ id: records[2].id, enterpriseId: null });
  await render();
  await render(ENTERPRISE_B);
  assert.equal(loader.calls, 12);

  engine.invalidate({ key: "layout", enterpriseId: ENTERPRISE_B });
  await render();
  await render(ENTERPRISE_B);
  assert.equal(loader.calls, 15);

  engine.invalidate({ enterpriseId: ENTERPRISE_A });
  await render();
  await render(ENTERPRISE_B);
  assert.equal(loader.calls, 18);

  engine.invalidate({ key: "unrelated" });
  await render();
  assert.equal(loader.calls, 18);

  engine.clear();
  await render();
  await render(ENTERPRISE_B);
  assert.equal(loader.calls, 24);
});

Deno.test("a new enterprise row shadowing a shared include is seen after invalidate by key", async () => {
  const { engine, render, records } = setup();
  await render();
  const own = templateRow("footer", "<p>own footer</p>", {
    enterprise_id: ENTERPRISE_A,
    updated_at: "2025-03-01T00:00:00Z",
  });
  records.push(own);
  assert.equal((await render()).body, "<html><h1>Alarm</h1><p>HQ</p></html>");
  engine.invalidate({ id: own.id, key: "footer", enterpriseId: ENTERPRISE_A });
  assert.equal((await render()).body, "<html><h1>Alarm</h1><p>own footer</p></html>");
  assert.equal((await render(ENTERPRISE_B)).body, "<html><h1>Alarm</h1><p>HQ</p></html>");
});

Deno.test("concurrent first renders share one resolution", async () => {
  const { loader, render } = setup();
  const results = await Promise.all([render(), render(), render()]);
  assert.equal(loader.calls, 3);
  assert.deepEqual(results[1], results[0]);
});

Deno.test("a resolution that started before an invalidation is not cached", async () => {
  const { loader, engine, render } = setup();
  const inFlight = render();
  engine.invalidate({ key: "footer" });
  await inFlight;
  await render();
  assert.equal(loader.calls, 6);
});

Deno.test("errors are not cached", async () => {
  const { loader, render, records } = setup();
  records[2].publish_status = "DRAFT";
  await assert.rejects(render(), /template footer not found/);
  const callsAfterFailure = loader.calls;
  records[2].publish_status = "PUBLISH";
  assert.equal((await render()).body, "<html><h1>Alarm</h1><p>HQ</p></html>");
  assert.equal(loader.calls, callsAfterFailure + 3);
});
