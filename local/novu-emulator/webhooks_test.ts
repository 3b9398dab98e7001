import assert from "node:assert/strict";
import { Webhook } from "svix";
import type { DiscoveredWorkflow } from "./bridge-client.ts";
import type { Emulator } from "./emulator.ts";
import { executed, serveSyncedEmulator, startFakeBridge, TEST_SECRET, waitFor } from "./testing.ts";

const WEBHOOK_SECRET = "whsec_" + btoa("xnovu emulator webhook test key!");
const ALERT = {
  workflowId: "alert",
  steps: [
    { stepId: "alert-email", type: "email" },
    { stepId: "pause", type: "delay" },
    { stepId: "alert-sms", type: "sms" },
  ],
  active: true,
};

interface Received {
  svixId: string;
  verified: boolean;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** A webhook endpoint that verifies each delivery with svix and answers `status()`. */
function startReceiver(status: (count: number) => number = () => 204) {
  const received: Received[] = [];
  const verifier = new Webhook(WEBHOOK_SECRET);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (r) => {
    const text = await r.text();
    let verified = true;
    try {
      verifier.verify(text, Object.fromEntries(r.headers));
    } catch {
      verified = false;
    }
    received.push({ svixId: r.headers.get("svix-id") ?? "", verified, body: JSON.parse(text) });
    return new Response(null, {
      status: status(received.length),
      headers: { connection: "close" },
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/functions/v1/novu-webhook`,
    received,
    close: () => server.shutdown(),
  };
}

interface Setup {
  workflows?: DiscoveredWorkflow[];
  receiverStatus?: (count: number) => number;
  webhookRetryDelayMs?: number;
  /** False: the emulator is given no webhook endpoint. */
  endpoint?: boolean;
}

/** An emulator in front of a fake bridge, sending webhooks to a verifying receiver. */
async function withWebhooks(
  setup: Setup,
  test: (context: { url: string; emulator: Emulator; received: Received[] }) => Promise<void>,
) {
  const bridge = startFakeBridge({
    workflows: setup.workflows ?? [ALERT],
    execute: () => executed({ body: "Hi" }),
  });
  const receiver = startReceiver(setup.receiverStatus);
  const served = await serveSyncedEmulator({
    bridgeUrl: bridge.url,
    webhookUrl: setup.endpoint === false ? undefined : receiver.url,
    webhookSecret: WEBHOOK_SECRET,
    webhookRetryDelayMs: setup.webhookRetryDelayMs,
  });
  try {
    await test({ url: served.url, emulator: served.emulator, received: receiver.received });
  } finally {
    await served.close();
    await receiver.close();
    await bridge.close();
  }
}

function waitForWebhooks(received: Received[], count: number) {
  return waitFor(() => received.length >= count || undefined, {
    what: `${count} webhooks`,
    timeoutMs: 5_000,
    intervalMs: 20,
  });
}

async function trigger(baseUrl: string, transactionId: string) {
  const response = await fetch(`${baseUrl}/v1/events/trigger`, {
    method: "POST",
    headers: { authorization: `ApiKey ${TEST_SECRET}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "alert", to: ["user-1"], payload: {}, transactionId }),
  });
  assert.equal(response.status, 201);
  await response.body?.cancel();
}

function summary(received: Received[]) {
  return received.map(({ body }) =>
    `${body.type} ${body.data.object.channel} ${body.data.object.stepId} ${body.data.object.subscriberId} ${body.data.object.transactionId}`
  ).sort();
}

Deno.test("webhooks: each executed channel step is reported sent then delivered, signed with svix", async () => {
  await withWebhooks({}, async ({ url, emulator, received }) => {
    await trigger(url, "tx-ok");
    await waitForWebhooks(received, 4);
    await emulator.idle();
    assert.deepEqual(summary(received), [
      "message.delivered email alert-email user-1 tx-ok",
      "message.delivered sms alert-sms user-1 tx-ok",
      "message.sent email alert-email user-1 tx-ok",
      "message.sent sms alert-sms user-1 tx-ok",
    ]);
    assert.ok(received.every((delivery) => delivery.verified), "every delivery verifies");
    const ids = received.map(({ body }) => body.id);
    assert.equal(new Set(ids).size, 4, "one event id per event");
    assert.ok(ids.every((id) => /^evt_[0-9a-f]{24}$/.test(id)));
    const email = received.filter(({ body }) => body.data.object.stepId === "alert-email");
    assert.deepEqual(email.map(({ body }) => body.type), ["message.sent", "message.delivered"]);
    assert.equal(email[0].body.data.object._id, email[1].body.data.object._id, "one message");
  });
});

Deno.test("webhooks: a channel configured to fail reports message.failed with the provider's reason", async () => {
  await withWebhooks({}, async ({ url, emulator, received }) => {
    const faults = await fetch(`${url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ failChannels: ["email"] }),
    });
    assert.equal(faults.status, 200);
    await faults.body?.cancel();
    await trigger(url, "tx-fail");
    await waitForWebhooks(received, 1);
    await emulator.idle();
    assert.deepEqual(summary(received), ["message.failed email alert-email user-1 tx-fail"]);
    assert.match(received[0].body.data.error.message, /email provider refused/);
    const event = await (await fetch(`${url}/_emulator/events/tx-fail`)).json();
    assert.equal(event.status, "failed");
    assert.deepEqual(
      event.recipients[0].steps.map((step: { status: string }) => step.status),
      ["failed", "cancelled", "cancelled"],
    );
    const refused = await fetch(`${url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ failChannels: ["fax"] }),
    });
    assert.equal(refused.status, 400);
    await refused.body?.cancel();
  });
});

Deno.test("webhooks: a refused delivery is tried again under the same svix-id, then counted", async () => {
  await withWebhooks({
    workflows: [{
      workflowId: "alert",
      steps: [{ stepId: "alert-sms", type: "sms" }],
      active: true,
    }],
    receiverStatus: () => 500,
    webhookRetryDelayMs: 10,
  }, async ({ url, emulator, received }) => {
    await trigger(url, "tx-retry");
    await waitForWebhooks(received, 4);
    await emulator.idle();
    // Both events are tried, then both retried after the delay, each under its own svix-id.
    const [first, second, retry, secondRetry] = received;
    assert.equal(first.svixId, retry.svixId);
    assert.equal(second.svixId, secondRetry.svixId);
    assert.notEqual(first.svixId, second.svixId);
    assert.equal(received.length, 4, "two attempts per event, no more");
    const { counters } = await (await fetch(`${url}/_emulator/events`)).json();
    assert.deepEqual(counters.webhooks, { delivered: 0, failed: 2 });
  });
});

Deno.test("webhooks: without an endpoint nothing is sent", async () => {
  await withWebhooks({ endpoint: false }, async ({ url, emulator, received }) => {
    await trigger(url, "tx-none");
    await waitFor(async () => {
      const event = await (await fetch(`${url}/_emulator/events/tx-none`)).json();
      return event.status === "completed" || undefined;
    }, { what: "the event to complete", timeoutMs: 5_000, intervalMs: 20 });
    await emulator.idle();
    assert.equal(received.length, 0);
  });
});
