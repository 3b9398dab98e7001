import assert from "node:assert/strict";
import { gatewayKick, handOverAtUnload } from "./kick-handler.ts";

function recorder() {
  const requests: Array<{ url: string; init: RequestInit | undefined }> = [];
  const kept: Promise<unknown>[] = [];
  const fetch = (input: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(input), init });
    return Promise.resolve(new Response(null, { status: 202 }));
  };
  return { requests, kept, fetch: fetch as typeof globalThis.fetch };
}

Deno.test("at unload a worker kicks its own function once, kept alive until the kick is out", async () => {
  const target = new EventTarget();
  const { requests, kept, fetch } = recorder();
  handOverAtUnload({
    kick: gatewayKick({
      functionName: "novu-sync",
      kickSecret: "kick-secret",
      supabaseUrl: "https://project.supabase.co",
      fetch,
    }),
    log: () => {},
    target,
    waitUntil: (work) => kept.push(work),
  });
  assert.equal(requests.length, 0, "nothing before the runtime says it unloads the worker");
  target.dispatchEvent(new Event("beforeunload"));
  assert.deepEqual(requests.map((request) => [request.url, request.init?.method]), [[
    "https://project.supabase.co/functions/v1/novu-sync",
    "POST",
  ]]);
  assert.deepEqual(requests[0].init?.headers, { authorization: "Bearer kick-secret" });
  assert.equal(kept.length, 1);
  await kept[0];
});

Deno.test("without a kick secret or a project URL nothing is handed over", () => {
  for (
    const [kickSecret, supabaseUrl] of [[undefined, "https://p.supabase.co"], ["s", undefined]]
  ) {
    const target = new EventTarget();
    const { requests, fetch } = recorder();
    handOverAtUnload({
      kick: gatewayKick({ functionName: "rule-events", kickSecret, supabaseUrl, fetch }),
      log: () => {},
      target,
      waitUntil: () => {},
    });
    target.dispatchEvent(new Event("beforeunload"));
    assert.equal(requests.length, 0);
  }
});

Deno.test("a hand-over that cannot be sent is logged, not thrown", async () => {
  const target = new EventTarget();
  const logged: string[] = [];
  const kept: Promise<unknown>[] = [];
  handOverAtUnload({
    kick: gatewayKick({
      functionName: "dispatcher",
      kickSecret: "kick-secret",
      supabaseUrl: "https://project.supabase.co",
      fetch: () => Promise.reject(new TypeError("network down")),
    }),
    log: (message) => logged.push(message),
    target,
    waitUntil: (work) => kept.push(work),
  });
  target.dispatchEvent(new Event("beforeunload"));
  await kept[0];
  assert.deepEqual(logged, ["handing over at unload failed"]);
});

Deno.test("a kick through the gateway that is not accepted fails, so the caller can go on itself", async () => {
  const kick = gatewayKick({
    functionName: "dispatcher",
    kickSecret: "kick-secret",
    supabaseUrl: "https://project.supabase.co",
    fetch: () => Promise.resolve(new Response("{}", { status: 546 })),
  })!;
  await assert.rejects(kick(), /answered 546/);
  assert.equal(
    gatewayKick({ functionName: "dispatcher", kickSecret: undefined, supabaseUrl: "https://p" }),
    undefined,
  );
});
