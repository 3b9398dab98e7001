import assert from "node:assert/strict";
import { Novu } from "@novu/api";
import {
  type BridgeCall,
  executed,
  getEvent,
  serveEmulator,
  serveSyncedEmulator,
  startFakeBridge,
  syncBridge,
  TEST_SECRET,
  waitFor,
  waitForFinishedEvent,
} from "./testing.ts";

const WELCOME = {
  workflowId: "welcome",
  steps: [
    { stepId: "welcome-email", type: "email" },
    { stepId: "welcome-in-app", type: "in_app" },
    { stepId: "welcome-sms", type: "sms" },
  ],
};

/** Renders every step from the payload, like a bridge would. */
function renderFromPayload(call: BridgeCall) {
  const name = call.body.payload.name;
  switch (call.stepId) {
    case "welcome-email":
      return executed({ subject: `Hello ${name}`, body: `<p>Welcome, ${name}</p>` });
    case "welcome-in-app":
      return executed({ subject: "Welcome", body: `In-app hello ${name}` });
    default:
      return executed({ body: `SMS hello ${name}` });
  }
}

function novuClient(serverURL: string, secretKey = TEST_SECRET) {
  return new Novu({ secretKey, serverURL, retryConfig: { strategy: "none" } });
}

async function setFaults(baseUrl: string, faults: unknown) {
  const response = await fetch(`${baseUrl}/_emulator/faults`, {
    method: "POST",
    body: JSON.stringify(faults),
  });
  assert.equal(response.status, 200, await response.clone().text());
  await response.body?.cancel();
}

function executeCalls(calls: BridgeCall[]) {
  return calls.filter((call) => call.action === "execute");
}

Deno.test("trigger: 201 through the SDK, then discover and each step executed in order with earlier state", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const novu = novuClient(served.url);
    const result = await novu.trigger({
      workflowId: "welcome",
      to: { subscriberId: "user-1", email: "ada@example.test" },
      payload: { name: "Ada" },
      transactionId: "xnovu-1-0",
    }, "xnovu-1-0");
    assert.deepEqual(result.result, {
      acknowledged: true,
      status: "processed",
      transactionId: "xnovu-1-0",
    });

    const event = await waitForFinishedEvent(served.url, "xnovu-1-0");
    assert.equal(event.status, "completed");
    assert.equal(event.idempotencyKey, "xnovu-1-0");
    assert.deepEqual(event.recipients[0].steps.map((step) => [step.stepId, step.status]), [
      ["welcome-email", "executed"],
      ["welcome-in-app", "executed"],
      ["welcome-sms", "executed"],
    ]);
    assert.deepEqual(event.recipients[0].steps[0].outputs, {
      subject: "Hello Ada",
      body: "<p>Welcome, Ada</p>",
    });
    assert.deepEqual(event.recipients[0].steps[2].outputs, { body: "SMS hello Ada" });

    assert.deepEqual(bridge.calls.map((call) => [call.method, call.action, call.stepId]), [
      ["GET", "discover", null],
      ["POST", "execute", "welcome-email"],
      ["POST", "execute", "welcome-in-app"],
      ["POST", "execute", "welcome-sms"],
    ]);
    assert.ok(bridge.calls.every((call) => call.signatureValid));
    const [email, inApp, sms] = executeCalls(bridge.calls);
    assert.equal(email.workflowId, "welcome");
    assert.deepEqual(email.body, {
      payload: { name: "Ada" },
      controls: {},
      state: [],
      subscriber: { subscriberId: "user-1", email: "ada@example.test" },
      context: {},
    });
    assert.deepEqual(inApp.body.state, [
      { stepId: "welcome-email", outputs: {}, state: { status: "completed" } },
    ]);
    assert.deepEqual(sms.body.state, [
      { stepId: "welcome-email", outputs: {}, state: { status: "completed" } },
      {
        stepId: "welcome-in-app",
        outputs: { seen: false, read: false, lastSeenDate: null, lastReadDate: null },
        state: { status: "completed" },
      },
    ]);
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("trigger: every recipient of an array is executed, a skipped step is recorded as skipped", async () => {
  const bridge = startFakeBridge({
    workflows: [WELCOME],
    execute: (call) =>
      call.stepId === "welcome-sms" && call.body.subscriber.subscriberId === "user-b"
        ? { outputs: {}, providers: {}, options: { skip: true } }
        : renderFromPayload(call),
  });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const result = await novuClient(served.url).trigger({
      workflowId: "welcome",
      to: ["user-a", { subscriberId: "user-b", phone: "+100" }],
      payload: { name: "Grace" },
    });
    const transactionId = result.result.transactionId!;
    assert.ok(transactionId.length > 0, "a transactionId is generated when none is given");
    const event = await waitForFinishedEvent(served.url, transactionId);
    assert.equal(event.status, "completed");
    assert.deepEqual(
      event.recipients.map((recipient) => [
        recipient.subscriberId,
        recipient.steps.map((step) => step.status),
      ]),
      [
        ["user-a", ["executed", "executed", "executed"]],
        ["user-b", ["executed", "executed", "skipped"]],
      ],
    );
    assert.equal(event.recipients[1].steps[2].outputs, undefined);
    const subscribersSent = executeCalls(bridge.calls)
      .map((call) => call.body.subscriber)
      .sort((left, right) => left.subscriberId.localeCompare(right.subscriberId));
    assert.deepEqual(subscribersSent, [
      ...Array(3).fill({ subscriberId: "user-a" }),
      ...Array(3).fill({ subscriberId: "user-b", phone: "+100" }),
    ]);
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("bulk: 201 with one result per event; more than 100 events is a 422", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const novu = novuClient(served.url);
    const result = await novu.triggerBulk({
      events: [
        { workflowId: "welcome", to: "user-1", payload: { name: "One" }, transactionId: "bulk-1" },
        { workflowId: "welcome", to: "user-2", payload: { name: "Two" }, transactionId: "bulk-2" },
      ],
    });
    assert.deepEqual(result.result, [
      { acknowledged: true, status: "processed", transactionId: "bulk-1" },
      { acknowledged: true, status: "processed", transactionId: "bulk-2" },
    ]);
    const second = await waitForFinishedEvent(served.url, "bulk-2");
    assert.deepEqual(second.recipients[0].steps[2].outputs, { body: "SMS hello Two" });

    const tooMany = Array.from({ length: 101 }, (_, index) => ({
      workflowId: "welcome",
      to: "user-1",
      transactionId: `too-many-${index}`,
    }));
    await assert.rejects(novu.triggerBulk({ events: tooMany }), (error: { statusCode: number }) => {
      assert.equal(error.statusCode, 422);
      return true;
    });
    assert.equal(await getEvent(served.url, "too-many-0"), undefined);
    const list = await (await fetch(`${served.url}/_emulator/events?limit=1`)).json();
    assert.equal(list.counters.bulkCalls, 1, "the refused call is not counted");
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("cancel: steps not yet executed are cancelled; unknown transactionId answers false", async () => {
  let releaseFirstStep!: () => void;
  const firstStepReleased = new Promise<void>((resolve) => releaseFirstStep = resolve);
  const bridge = startFakeBridge({
    workflows: [WELCOME],
    execute: async (call) => {
      if (call.stepId === "welcome-email") await firstStepReleased;
      return renderFromPayload(call);
    },
  });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const novu = novuClient(served.url);
    await novu.trigger({
      workflowId: "welcome",
      to: "user-1",
      payload: { name: "Ada" },
      transactionId: "cancel-me",
    });
    await waitFor(() => executeCalls(bridge.calls).length === 1 || undefined, {
      what: "first step",
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    const cancelled = await novu.cancel("cancel-me");
    assert.equal(cancelled.result, true);
    releaseFirstStep();

    const event = await waitForFinishedEvent(served.url, "cancel-me");
    assert.equal(event.status, "cancelled");
    assert.deepEqual(event.recipients[0].steps.map((step) => step.status), [
      "executed",
      "cancelled",
      "cancelled",
    ]);
    assert.equal(executeCalls(bridge.calls).length, 1);

    assert.equal((await novu.cancel("never-triggered")).result, false);
    const list = await (await fetch(`${served.url}/_emulator/events`)).json();
    assert.equal(list.counters.cancels, 2);
  } finally {
    releaseFirstStep();
    await served.close();
    await bridge.close();
  }
});

Deno.test("auth: a wrong ApiKey is a 401 with Novu's error body and nothing is recorded", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    await assert.rejects(
      novuClient(served.url, "wrong-key").trigger({
        workflowId: "welcome",
        to: "user-1",
        transactionId: "unauthorized",
      }),
      (error: { statusCode: number; body: string }) => {
        assert.equal(error.statusCode, 401);
        assert.equal(JSON.parse(error.body).message, "API Key not found");
        return true;
      },
    );
    const raw = await fetch(`${served.url}/v1/events/trigger`, {
      method: "POST",
      body: JSON.stringify({ name: "welcome", to: "user-1" }),
    });
    assert.equal(raw.status, 401);
    await raw.body?.cancel();
    assert.equal(await getEvent(served.url, "unauthorized"), undefined);
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("idempotency as Novu Cloud: a repeated key replays, a repeated transactionId runs again", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const novu = novuClient(served.url);
    const request = {
      workflowId: "welcome",
      to: "user-1",
      payload: { name: "Ada" },
      transactionId: "xnovu-7-0",
    };
    const first = await novu.trigger(request, "xnovu-7-0");
    await waitForFinishedEvent(served.url, "xnovu-7-0");
    const sameKey = await novu.trigger(request, "xnovu-7-0");
    assert.equal(sameKey.headers["idempotency-replay"]?.[0], "true");
    assert.deepEqual(first.result, sameKey.result);
    // Novu Cloud does not dedupe by transactionId: under another key it is a second run.
    const sameTransaction = await novu.trigger(request, "another-key");
    assert.equal(sameTransaction.result.transactionId, "xnovu-7-0");

    await served.emulator.idle();
    const event = await getEvent(served.url, "xnovu-7-0");
    assert.equal(event?.duplicates, 1, "the replay is counted on the first run");
    assert.equal(executeCalls(bridge.calls).length, 6, "the step ran twice: two deliveries");
    const list = await (await fetch(`${served.url}/_emulator/events?transactionId=xnovu-7-0`))
      .json();
    assert.equal(list.events.length, 2);
    assert.equal(list.counters.triggersAccepted, 2);
    assert.equal(list.counters.duplicates, 1);
    assert.equal(list.counters.redeliveries, 1);
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("idempotency as Novu Cloud: one key per organization; another body under it is 422", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const post = (path: string, body: unknown, key: string) =>
      fetch(`${served.url}${path}`, {
        method: "POST",
        headers: {
          authorization: `ApiKey ${TEST_SECRET}`,
          "content-type": "application/json",
          "idempotency-key": key,
        },
        body: JSON.stringify(body),
      });
    const event = { name: "welcome", to: "user-1", payload: {}, transactionId: "k-1" };
    const accepted = await post("/v1/events/trigger", event, "key-1");
    assert.equal(accepted.status, 201);
    await accepted.body?.cancel();
    const reused = await post("/v1/events/trigger", { ...event, payload: { x: 1 } }, "key-1");
    assert.equal(reused.status, 422);
    assert.match((await reused.json()).message, /being reused for a different body/);
    // The key is the organization's, not the path's: a bulk call under it is another body.
    const bulk = await post("/v1/events/trigger/bulk", { events: [event] }, "key-1");
    assert.equal(bulk.status, 422);
    await bulk.body?.cancel();
    const tooLong = await post("/v1/events/trigger", event, "k".repeat(256));
    assert.equal(tooLong.status, 400);
    await tooLong.body?.cancel();
    // A refused request is cached too: the same bad body under its key gets the same answer.
    const invalid = { name: "welcome", to: [], transactionId: "k-2" };
    const refused = await post("/v1/events/trigger", invalid, "key-2");
    const replayed = await post("/v1/events/trigger", invalid, "key-2");
    assert.equal(refused.status, replayed.status);
    assert.equal(replayed.headers.get("idempotency-replay"), "true");
    assert.deepEqual(await replayed.json(), await refused.json());
  } finally {
    await served.emulator.idle();
    await served.close();
    await bridge.close();
  }
});

Deno.test("faults: failNext gives the SDK a 500 then success; rateLimitNext a 429 with Retry-After", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const novu = novuClient(served.url);
    const request = { workflowId: "welcome", to: "user-1", transactionId: "flaky-1" };
    await setFaults(served.url, { failNext: 1 });
    await assert.rejects(novu.trigger(request, "flaky-1"), (error: { statusCode: number }) => {
      assert.equal(error.statusCode, 500);
      return true;
    });
    assert.equal(await getEvent(served.url, "flaky-1"), undefined, "a 500 delivers nothing");
    const retried = await novu.trigger(request, "flaky-1");
    assert.equal(retried.result.transactionId, "flaky-1");

    await setFaults(served.url, { rateLimitNext: 1, rateLimit: { rate: 0, retryAfterSeconds: 7 } });
    await assert.rejects(
      novu.trigger({ ...request, transactionId: "limited-1" }, "limited-1"),
      (error: { statusCode: number; headers: Headers }) => {
        assert.equal(error.statusCode, 429);
        assert.equal(error.headers.get("retry-after"), "7");
        return true;
      },
    );
    const afterLimit = await novu.trigger({ ...request, transactionId: "limited-1" }, "limited-1");
    assert.equal(afterLimit.result.transactionId, "limited-1");

    const list = await (await fetch(`${served.url}/_emulator/events`)).json();
    assert.deepEqual(list.counters.faults, { errors: 1, rateLimited: 1, timeouts: 0 });
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test({
  name: "faults: the SDK's own retries get through failNext with a single delivery",
  // The SDK drops the 500 responses it retries without reading their bodies.
  sanitizeResources: false,
  fn: async () => {
    const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
    const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
    try {
      const request = { workflowId: "welcome", to: "user-1" };
      await setFaults(served.url, { failNext: 2 });
      const withSdkRetries = new Novu({
        secretKey: TEST_SECRET,
        serverURL: served.url,
        retryConfig: {
          strategy: "backoff",
          backoff: { initialInterval: 10, maxInterval: 50, exponent: 1.5, maxElapsedTime: 5_000 },
          retryConnectionErrors: true,
        },
      });
      await withSdkRetries.trigger({ ...request, transactionId: "flaky-2" }, "flaky-2");
      await served.emulator.idle();
      const delivered = (await getEvent(served.url, "flaky-2"))!;
      assert.equal(delivered.status, "completed");
      assert.equal(delivered.duplicates, 0);
    } finally {
      await served.close();
      await bridge.close();
    }
  },
});

Deno.test("faults: a held-back answer times the client out, yet the trigger took effect once", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url, timeoutHoldMs: 5_000 });
  try {
    await setFaults(served.url, { timeoutNext: 1 });
    const request = { workflowId: "welcome", to: "user-1", transactionId: "slow-1" };
    await assert.rejects(
      novuClient(served.url).trigger(request, "slow-1", { timeoutMs: 200 }),
      (error: Error) => {
        assert.equal(error.name, "RequestTimeoutError");
        return true;
      },
    );
    const retried = await novuClient(served.url).trigger(request, "slow-1");
    assert.equal(retried.result.transactionId, "slow-1");
    const event = await waitForFinishedEvent(served.url, "slow-1");
    assert.equal(event.duplicates, 1);
    assert.equal(executeCalls(bridge.calls).length, 3);
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("bridge: a failing step fails the event and stops the rest", async () => {
  const bridge = startFakeBridge({
    workflows: [WELCOME],
    execute: (call) =>
      call.body.payload.breakInApp && call.stepId === "welcome-in-app"
        ? Response.json({ code: "StepExecutionFailedError", message: "boom" }, { status: 400 })
        : renderFromPayload(call),
  });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const novu = novuClient(served.url);
    await novu.trigger({
      workflowId: "welcome",
      to: "user-1",
      payload: { name: "Ada", breakInApp: true },
      transactionId: "broken",
    });
    const broken = await waitForFinishedEvent(served.url, "broken");
    assert.equal(broken.status, "failed");
    const [email, inApp, sms] = broken.recipients[0].steps;
    assert.equal(email.status, "executed");
    assert.equal(inApp.status, "failed");
    assert.deepEqual(inApp.error, {
      status: 400,
      body: '{"code":"StepExecutionFailedError","message":"boom"}',
    });
    assert.equal(sms.status, "cancelled");
    assert.equal(sms.reason, "earlier step welcome-in-app failed");
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("queue: bridge executions stay within the concurrency limit during a burst", async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  const bridge = startFakeBridge({
    workflows: [WELCOME],
    execute: async (call) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return renderFromPayload(call);
    },
  });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url, concurrency: 3 });
  try {
    const novu = novuClient(served.url);
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        novu.trigger({
          workflowId: "welcome",
          to: ["user-a", "user-b"],
          payload: { name: `N${index}` },
          transactionId: `burst-${index}`,
        })),
    );
    await served.emulator.idle();
    assert.equal(executeCalls(bridge.calls).length, 20 * 2 * 3);
    assert.ok(maxInFlight <= 3, `at most 3 in flight, saw ${maxInFlight}`);
    assert.ok(maxInFlight >= 2, `work ran concurrently, saw ${maxInFlight}`);
    const list = await (await fetch(`${served.url}/_emulator/events?transactionIdPrefix=burst-`))
      .json();
    assert.equal(list.events.length, 20);
    assert.ok(list.events.every((event: { status: string }) => event.status === "completed"));
    assert.equal(list.events[0].transactionId, "burst-19", "newest first");
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("page: lists events newest first and escapes payload-derived content", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const novu = novuClient(served.url);
    await novu.trigger({
      workflowId: "welcome",
      to: "user-1",
      payload: { name: "Older" },
      transactionId: "page-1",
    });
    await novu.trigger({
      workflowId: "welcome",
      to: "user-1",
      payload: { name: '<script>alert("x")</script>' },
      transactionId: "page-2",
    });
    await waitForFinishedEvent(served.url, "page-2");
    await waitForFinishedEvent(served.url, "page-1");
    const response = await fetch(`${served.url}/`);
    assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
    const html = await response.text();
    assert.ok(!html.includes("<script>"), "no payload script reaches the page");
    assert.ok(html.includes("Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert.ok(
      html.includes(
        'sandbox title="Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" srcdoc="&lt;p&gt;Welcome, &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;/p&gt;"',
      ),
      "email HTML is attribute-escaped inside a sandboxed iframe",
    );
    assert.ok(html.includes("In-app hello &lt;script&gt;"));
    assert.ok(html.indexOf("page-2") < html.indexOf("page-1"), "newest first");
    const one = await (await fetch(`${served.url}/?transactionId=page-1`)).text();
    assert.ok(
      one.includes("page-1") && !one.includes("page-2"),
      "?transactionId= shows that event only",
    );
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("admin: reset clears events, counters and faults; bad faults are a 400", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    await novuClient(served.url).trigger({ workflowId: "welcome", to: "u", transactionId: "r-1" });
    await waitForFinishedEvent(served.url, "r-1");
    await setFaults(served.url, { failNext: 3 });
    const reset = await fetch(`${served.url}/_emulator/reset`, { method: "POST" });
    assert.deepEqual(await reset.json(), { reset: true });
    const list = await (await fetch(`${served.url}/_emulator/events`)).json();
    assert.deepEqual(list.events, []);
    assert.equal(list.counters.triggersAccepted, 0);
    assert.deepEqual(await (await fetch(`${served.url}/_emulator/faults`)).json(), { faults: {} });

    const bad = await fetch(`${served.url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ errorRate: 2 }),
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), {
      error: "invalid_faults",
      message: "errorRate: errorRate must be a number from 0 to 1",
    });
    const missing = await fetch(`${served.url}/_emulator/events/nope`);
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error, "not_found");
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("admin: paused execution accepts triggers and runs nothing until resumed; a bad body is a 400", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  const setExecution = async (body: unknown) => {
    const response = await fetch(`${served.url}/_emulator/execution`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  try {
    assert.deepEqual(await setExecution({ paused: true }), {
      status: 200,
      body: { paused: true, pendingWork: 0 },
    });
    const result = await novuClient(served.url).trigger({
      workflowId: "welcome",
      to: "u",
      payload: { name: "Ada" },
      transactionId: "p-1",
    });
    assert.equal(result.result.status, "processed");
    // Give a run the time it would take, then check it did not start.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(executeCalls(bridge.calls).length, 0);
    assert.equal((await getEvent(served.url, "p-1"))?.status, "queued");

    const held = await fetch(`${served.url}/_emulator/execution`);
    assert.deepEqual(await held.json(), { paused: true, pendingWork: 1 });
    const resumed = await setExecution({ paused: false });
    assert.equal(resumed.body.paused, false);
    assert.equal((await waitForFinishedEvent(served.url, "p-1")).status, "completed");
    assert.equal(executeCalls(bridge.calls).length, 3);

    const bad = await setExecution({ paused: "yes" });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, "invalid_execution");
  } finally {
    await served.close();
    await bridge.close();
  }
});

/** Triggers through fetch, to read Novu's answer whatever its status. */
async function triggerRaw(baseUrl: string, body: unknown, path = "/v1/events/trigger") {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `ApiKey ${TEST_SECRET}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

Deno.test("sync: before any sync no workflow is known; an unknown workflow is Novu's 422 workflow_not_found and runs nothing", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = serveEmulator({});
  try {
    const before = await triggerRaw(served.url, { name: "welcome", to: "user-1" });
    assert.equal(before.status, 422);
    assert.equal(before.body.statusCode, 422);
    assert.equal(before.body.message, "workflow_not_found");
    assert.equal(before.body.error, "Unprocessable Entity");
    assert.equal(bridge.calls.length, 0, "a trigger never discovers the bridge");

    const synced = await syncBridge(served.url, bridge.url);
    assert.equal(synced.status, 201);
    const { data } = await synced.json();
    assert.deepEqual(
      data.map((workflow: { triggers: Array<{ identifier: string }> }) =>
        workflow.triggers[0].identifier
      ),
      ["welcome"],
    );
    assert.deepEqual(bridge.calls.map((call) => [call.action, call.signatureValid]), [
      ["discover", true],
    ]);

    const unknown = await triggerRaw(served.url, { name: "no-such-workflow", to: "user-1" });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.message, "workflow_not_found");
    const bulk = await triggerRaw(served.url, {
      events: [
        { name: "no-such-workflow", to: "user-1", transactionId: "bulk-unknown" },
        { name: "welcome", to: "user-1", payload: { name: "Ada" }, transactionId: "bulk-ok" },
      ],
    }, "/v1/events/trigger/bulk");
    assert.equal(bulk.status, 201);
    // The refused event's own transactionId comes back with it, as Novu's ProcessBulkTrigger does.
    assert.deepEqual(bulk.body.data[0], {
      acknowledged: true,
      status: "error",
      error: ["workflow_not_found"],
      transactionId: "bulk-unknown",
    });
    assert.equal(bulk.body.data[1].status, "processed");
    assert.equal((await waitForFinishedEvent(served.url, "bulk-ok")).status, "completed");
    const list = await (await fetch(`${served.url}/_emulator/events`)).json();
    assert.deepEqual(list.events.map((event: { transactionId: string }) => event.transactionId), [
      "bulk-ok",
    ]);
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("sync: triggers run the synced steps; a workflow published or changed since runs only after the next sync, and one gone is deleted", async () => {
  const workflows: Parameters<typeof startFakeBridge>[0]["workflows"] = [WELCOME];
  const bridge = startFakeBridge({ workflows, execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  const resync = async () => {
    const response = await syncBridge(served.url, bridge.url);
    await response.body?.cancel();
    return response.status;
  };
  try {
    // The bridge changes: welcome loses its SMS step, welcome-again is published.
    workflows.splice(0, 1, { ...WELCOME, steps: WELCOME.steps.slice(0, 2) }, {
      ...WELCOME,
      workflowId: "welcome-again",
    });
    const stale = await triggerRaw(served.url, {
      name: "welcome",
      to: "user-1",
      payload: { name: "Ada" },
      transactionId: "stale",
    });
    assert.equal(stale.status, 201);
    const staleEvent = await waitForFinishedEvent(served.url, "stale");
    assert.deepEqual(
      staleEvent.recipients[0].steps.map((step) => step.stepId),
      ["welcome-email", "welcome-in-app", "welcome-sms"],
      "the synced shape runs, not the bridge's new one",
    );
    const early = await triggerRaw(served.url, { name: "welcome-again", to: "user-1" });
    assert.equal(early.status, 422);

    assert.equal(await resync(), 201);
    await triggerRaw(served.url, {
      name: "welcome",
      to: "user-1",
      payload: { name: "Ada" },
      transactionId: "fresh",
    });
    const fresh = await waitForFinishedEvent(served.url, "fresh");
    assert.deepEqual(fresh.recipients[0].steps.map((step) => step.stepId), [
      "welcome-email",
      "welcome-in-app",
    ]);
    await triggerRaw(served.url, {
      name: "welcome-again",
      to: "user-1",
      payload: { name: "Ada" },
      transactionId: "again",
    });
    assert.equal((await waitForFinishedEvent(served.url, "again")).status, "completed");

    // Unpublished on the bridge: the next sync deletes it (Novu's disposeOldWorkflows).
    workflows.splice(1, 1);
    assert.equal(await resync(), 201);
    assert.equal(
      (await triggerRaw(served.url, { name: "welcome-again", to: "user-1" })).status,
      422,
    );
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("sync: an emulator restarted on the same workflows file runs what was synced before, as Novu Cloud keeps its workflows", async () => {
  const dir = await Deno.makeTempDir();
  const workflowsFile = `${dir}/workflows.json`;
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  try {
    const first = serveEmulator({ workflowsFile });
    const synced = await syncBridge(first.url, bridge.url);
    assert.equal(synced.status, 201);
    await synced.body?.cancel();
    await first.close();

    const restarted = serveEmulator({ workflowsFile });
    try {
      const trigger = await triggerRaw(restarted.url, {
        name: "welcome",
        to: "user-1",
        payload: { name: "Ada" },
        transactionId: "after-restart",
      });
      assert.equal(trigger.status, 201, JSON.stringify(trigger.body));
      const event = await waitForFinishedEvent(restarted.url, "after-restart");
      assert.equal(event.status, "completed");
      assert.deepEqual(
        bridge.calls.map((call) => call.action).filter((action) => action === "discover"),
        ["discover"],
        "the restarted emulator did not discover the bridge again",
      );
    } finally {
      await restarted.close();
    }
  } finally {
    await bridge.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sync: an inactive workflow (options.active false, or switched off) answers trigger_not_active and runs nothing", async () => {
  const bridge = startFakeBridge({
    workflows: [WELCOME, { ...WELCOME, workflowId: "dormant", options: { active: false } }],
    execute: renderFromPayload,
  });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const dormant = await triggerRaw(served.url, { name: "dormant", to: "user-1" });
    assert.equal(dormant.status, 201);
    assert.deepEqual(dormant.body.data, { acknowledged: true, status: "trigger_not_active" });

    const off = await fetch(`${served.url}/_emulator/workflows/welcome`, {
      method: "PATCH",
      body: JSON.stringify({ active: false }),
    });
    assert.equal(off.status, 200);
    await off.body?.cancel();
    const result = await novuClient(served.url).trigger({ workflowId: "welcome", to: "user-1" });
    assert.equal(result.result.status, "trigger_not_active");
    assert.equal(result.result.transactionId, undefined);
    const list = await (await fetch(`${served.url}/_emulator/events`)).json();
    assert.deepEqual(list.events, []);
    assert.ok(bridge.calls.every((call) => call.action === "discover"));
  } finally {
    await served.close();
    await bridge.close();
  }
});

Deno.test("sync: a wrong ApiKey is a 401; a bad bridgeUrl a 422; a bridge that cannot be discovered a 400 that keeps the last sync", async () => {
  const bridge = startFakeBridge({ workflows: [WELCOME], execute: renderFromPayload });
  const served = await serveSyncedEmulator({ bridgeUrl: bridge.url });
  try {
    const wrongKey = await syncBridge(served.url, bridge.url, "not-the-key");
    assert.equal(wrongKey.status, 401);
    await wrongKey.body?.cancel();
    const badUrl = await syncBridge(served.url, "not a url");
    assert.equal(badUrl.status, 422);
    await badUrl.body?.cancel();
    const gone = await syncBridge(served.url, "http://127.0.0.1:9/functions/v1/novu-bridge");
    assert.equal(gone.status, 400);
    assert.match((await gone.json()).message, /^Bridge discover failed: bridge request failed/);
    await setFaults(served.url, { syncFailNext: 1 });
    const faulted = await syncBridge(served.url, bridge.url);
    assert.equal(faulted.status, 500);
    await faulted.body?.cancel();

    const still = await novuClient(served.url).trigger({
      workflowId: "welcome",
      to: "user-1",
      transactionId: "kept",
    });
    assert.equal(still.result.status, "processed");
    const workflows = await (await fetch(`${served.url}/_emulator/workflows`)).json();
    assert.equal(workflows.bridgeUrl, bridge.url);
  } finally {
    await served.close();
    await bridge.close();
  }
});
