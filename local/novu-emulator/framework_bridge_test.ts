/**
 * The emulator against a real @novu/framework 2.13.2 bridge with strict HMAC checking: proves
 * the signature, the discover call and the execute body (including earlier steps' `state`,
 * which the framework validates against each step type's result schema) are what the
 * framework accepts.
 */
import assert from "node:assert/strict";
import { Novu } from "@novu/api";
import { Client, NovuRequestHandler, workflow } from "@novu/framework";
import {
  serveEmulator,
  serveSyncedEmulator,
  syncBridge,
  TEST_SECRET,
  waitForFinishedEvent,
} from "./testing.ts";

const welcome = workflow("framework-welcome", async ({ step, payload, subscriber }) => {
  await step.email("email", () => ({
    subject: `Hello ${payload.name}`,
    body: `<h1>Welcome ${payload.name}</h1>`,
  }));
  await step.inApp("in-app", () => ({ body: `In-app for ${subscriber.subscriberId}` }));
  await step.sms("sms", () => ({ body: `SMS for ${payload.name}` }), {
    skip: () => !subscriber.phone,
  });
  await step.push("push", () => ({ subject: "Push", body: `Push for ${payload.name}` }));
}, {
  // Without a schema the framework strips every payload property.
  payloadSchema: {
    type: "object",
    properties: { name: { type: "string" } },
    required: ["name"],
    additionalProperties: false,
  } as const,
});

function serveFrameworkBridge() {
  const handler = new NovuRequestHandler({
    frameworkName: "deno-test",
    workflows: [welcome],
    client: new Client({ secretKey: TEST_SECRET, strictAuthentication: true, verbose: false }),
    handler: (request: Request) => ({
      body: () => request.json(),
      headers: (name: string) => request.headers.get(name),
      method: () => request.method,
      url: () => new URL(request.url),
      transformResponse: ({ body, status, headers }: {
        body: string;
        status: number;
        headers: Record<string, string>;
      }) => new Response(body, { status, headers }),
    }),
  }).createHandler();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => handler(request),
  );
  return { url: `http://127.0.0.1:${server.addr.port}/bridge`, close: () => server.shutdown() };
}

Deno.test("a real @novu/framework bridge accepts the emulator's signed discover and execute calls", async () => {
  const bridge = serveFrameworkBridge();
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const novu = new Novu({
      secretKey: TEST_SECRET,
      serverURL: served.url,
      retryConfig: { strategy: "none" },
    });
    await novu.trigger({
      workflowId: "framework-welcome",
      to: ["no-phone", { subscriberId: "with-phone", phone: "+15550100" }],
      payload: { name: "Ada" },
      transactionId: "framework-1",
    });
    const event = await waitForFinishedEvent(served.url, "framework-1");
    assert.equal(event.status, "completed", JSON.stringify(event));
    const [withoutPhone, withPhone] = event.recipients;
    assert.deepEqual(withoutPhone.steps.map((step) => [step.stepId, step.status]), [
      ["email", "executed"],
      ["in-app", "executed"],
      ["sms", "skipped"],
      ["push", "executed"],
    ]);
    assert.equal(withPhone.steps[2].status, "executed");
    assert.deepEqual(withPhone.steps[2].outputs, { body: "SMS for Ada" });
    assert.equal(withoutPhone.steps[0].outputs?.subject, "Hello Ada");
    assert.match(String(withoutPhone.steps[0].outputs?.body), /<h1>Welcome Ada<\/h1>/);
    assert.deepEqual(withoutPhone.steps[1].outputs?.body, "In-app for no-phone");
    assert.deepEqual(withoutPhone.steps[3].outputs, { subject: "Push", body: "Push for Ada" });
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("a real @novu/framework bridge refuses the sync of an emulator holding another secret", async () => {
  const bridge = serveFrameworkBridge();
  const served = serveEmulator({ secretKey: "not-the-bridge-secret" });
  try {
    const response = await syncBridge(served.url, bridge.url, "not-the-bridge-secret");
    assert.equal(response.status, 400);
    assert.match(
      (await response.json()).message,
      /^Bridge discover failed \(401\):.*SignatureMismatchError/,
    );
    const workflows = await (await fetch(`${served.url}/_emulator/workflows`)).json();
    assert.deepEqual(workflows, { bridgeUrl: null, workflows: [] });
  } finally {
    await served.close();
    await bridge.close();
  }
});
