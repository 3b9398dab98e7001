/**
 * A web page on another origin calls `trigger`, `render` and `events` with `supabase.functions.invoke`
 * (supabase-js's own browser bundle, the pinned npm version) in headless Chromium, as Supabase's
 * guide for browser-invoked functions describes (https://supabase.com/docs/guides/functions/cors).
 * The page is served on one port and the functions are reached through a recording pass-through
 * on another, so the test sees the browser's preflight (OPTIONS) before each POST. Without the
 * functions' CORS headers the browser refuses every answer and these calls fail.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { launchChromium } from "./support/browser.ts";
import {
  connect,
  recipientIds,
  SUPABASE_ANON_KEY,
  SUPABASE_URL,
  uniqueName,
} from "./support/platform.ts";
import { ENTERPRISE_A } from "../support/env.ts";
import { memberJwt } from "../support/jwt.ts";

const SUPABASE_JS_BUNDLE = createRequire(import.meta.url)
  .resolve("@supabase/supabase-js/dist/umd/supabase.js");

const PAGE = `<!doctype html>
<html>
<head><meta charset="utf-8"><title>XNovu from a browser</title></head>
<body>
<script src="/supabase.js"></script>
<script>
  // What a web app does: invoke a function as the signed-in member, and read the answer, the
  // error answers included (their status and JSON body).
  window.invokeFunction = async ({ url, anonKey, jwt, name, body }) => {
    const client = supabase.createClient(url, anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      global: { headers: { Authorization: "Bearer " + jwt } },
    });
    const { data, error } = await client.functions.invoke(name, { body });
    if (error === null) return { ok: true, data };
    const answer = error.context;
    return answer instanceof Response
      ? { ok: false, kind: error.name, status: answer.status, data: await answer.json() }
      : { ok: false, kind: error.name, message: String(error.message) };
  };
</script>
</body>
</html>`;

interface Seen {
  method: string;
  path: string;
  origin: string | null;
}

interface InvokeOutcome {
  ok: boolean;
  data?: Record<string, unknown>;
  kind?: string;
  status?: number;
  message?: string;
}

/** Serves the page and supabase-js's browser bundle: the page's own origin. */
async function servePage(): Promise<Deno.HttpServer<Deno.NetAddr>> {
  const bundle = await Deno.readFile(SUPABASE_JS_BUNDLE);
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/supabase.js") {
      return new Response(bundle, { headers: { "content-type": "text/javascript" } });
    }
    if (pathname === "/") {
      return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
    }
    return new Response("not found", { status: 404 });
  });
}

/**
 * The functions' origin as the browser sees it: passes each request to the local platform
 * unchanged and its answer back unchanged (CORS headers are the functions' own), recording
 * what the browser sent.
 */
function serveRecordingPassThrough(seen: Seen[]): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    seen.push({
      method: request.method,
      path: url.pathname,
      origin: request.headers.get("origin"),
    });
    const headers = new Headers(request.headers);
    headers.delete("host");
    const answer = await fetch(`${SUPABASE_URL}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      body: request.body,
      redirect: "manual",
    });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });
}

Deno.test("a page on another origin invokes trigger, render and events through supabase-js in Chromium", async () => {
  const sql = connect();
  const seen: Seen[] = [];
  const pageServer = await servePage();
  const functionsServer = serveRecordingPassThrough(seen);
  const pageOrigin = `http://127.0.0.1:${pageServer.addr.port}`;
  const functionsOrigin = `http://127.0.0.1:${functionsServer.addr.port}`;
  assert.notEqual(pageOrigin, functionsOrigin);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${pageOrigin}/`);
    const jwt = await memberJwt([ENTERPRISE_A]);
    const invoke = (name: string, body: Record<string, unknown>) =>
      page.evaluate(
        (args) =>
          (globalThis as unknown as {
            invokeFunction: (a: typeof args) => Promise<InvokeOutcome>;
          }).invokeFunction(args),
        { url: functionsOrigin, anonKey: SUPABASE_ANON_KEY, jwt, name, body },
      );
    const callsTo = (name: string) =>
      seen.filter((call) => call.path === `/functions/v1/${name}`).map((call) => call.method);

    const name = uniqueName("from-browser");
    const triggered = await invoke("trigger", {
      enterprise_id: ENTERPRISE_A,
      workflow_key: "default-in-app",
      recipients: recipientIds(1),
      payload: { body: "Lift B is back in service" },
      name,
    });
    assert.equal(triggered.ok, true, JSON.stringify(triggered));
    assert.equal(triggered.data?.status, "PENDING");
    const [row] = await sql<{ id: number; enterprise_id: string }[]>`
      select id::int, enterprise_id::text from notify.ent_notification where name = ${name}`;
    assert.equal(row?.id, triggered.data?.id, "the notification was stored");
    assert.equal(row.enterprise_id, ENTERPRISE_A);
    assert.deepEqual(callsTo("trigger"), ["OPTIONS", "POST"], "a preflight, then the call");
    assert.ok(seen.every((call) => call.origin === pageOrigin), "sent from the page's origin");

    const rendered = await invoke("render", {
      enterprise_id: ENTERPRISE_A,
      inline: { channel: "SMS", body: "Hello {{name}}" },
      variables: { name: "Ada" },
    });
    assert.equal(rendered.ok, true, JSON.stringify(rendered));
    assert.equal(rendered.data?.body, "Hello Ada");
    assert.deepEqual(callsTo("render"), ["OPTIONS", "POST"]);

    const emitted = await invoke("events", {
      enterprise_id: ENTERPRISE_A,
      event: "browser.smoke_test",
      payload: { from: "a web page" },
    });
    assert.equal(emitted.ok, true, JSON.stringify(emitted));
    assert.equal(typeof emitted.data?.id, "number");
    assert.deepEqual(callsTo("events"), ["OPTIONS", "POST"]);

    // Error answers carry the CORS headers too: the page reads their status and JSON body
    // (without them the browser would report a failed fetch instead).
    const refused = await invoke("trigger", {
      enterprise_id: ENTERPRISE_A,
      workflow_key: "default-in-app",
      recipients: recipientIds(1),
      payload: { heading: "no body" },
    });
    assert.equal(refused.ok, false);
    assert.equal(refused.kind, "FunctionsHttpError", JSON.stringify(refused));
    assert.equal(refused.status, 422);
    assert.equal(refused.data?.error, "PAYLOAD_INVALID");
  } finally {
    await browser.close();
    await functionsServer.shutdown();
    await pageServer.shutdown();
    await sql.end();
  }
});
