import assert from "node:assert/strict";
import { Webhook } from "svix";
import { createNovuWebhookHandler, type RecordOutcome } from "./handler.ts";
import type { MessageEvent } from "./message-event.ts";

const SECRET = "whsec_eG5vdnUgdW5pdCB0ZXN0IHdlYmhvb2sgc2VjcmV0Li4=";
const signer = new Webhook(SECRET);

function messageEvent(type: string, extra: Record<string, unknown> = {}) {
  return {
    id: "evt_1",
    type,
    object: "message",
    timestamp: "2026-12-04T05:00:00.000Z",
    environmentId: "env",
    data: {
      object: {
        _id: "m1",
        transactionId: "xnovu-42-0",
        subscriberId: "d0000000-0000-4000-8000-00000000000d",
        channel: "email",
        stepId: "email-step",
      },
      ...extra,
    },
  };
}

function signedRequest(
  body: unknown,
  { svixId = "msg_1", at = new Date(), secret = signer }: {
    svixId?: string;
    at?: Date;
    secret?: Webhook;
  } = {},
): Request {
  const text = JSON.stringify(body);
  return new Request("http://localhost/functions/v1/novu-webhook", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": secret.sign(svixId, at, text),
    },
    body: text,
  });
}

function handlerRecording(outcome: RecordOutcome = "recorded") {
  const recorded: Array<{ svixId: string; event: MessageEvent }> = [];
  const handler = createNovuWebhookHandler({
    verify: (body, headers) => new Webhook(SECRET).verify(body, headers),
    record: (svixId, event) => {
      recorded.push({ svixId, event });
      return Promise.resolve(outcome);
    },
    logError: () => {},
  });
  return { handler, recorded };
}

Deno.test("a signed message event is recorded with what the database needs", async () => {
  const { handler, recorded } = handlerRecording();
  const response = await handler(
    signedRequest(messageEvent("message.failed", { error: { message: "bounced" } })),
  );
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { recorded: true, event_id: "evt_1" });
  assert.equal(recorded.length, 1);
  assert.equal(recorded[0].svixId, "msg_1");
  const { data: _data, ...event } = recorded[0].event;
  assert.deepEqual(event, {
    eventId: "evt_1",
    type: "message.failed",
    transactionId: "xnovu-42-0",
    notificationId: 42,
    subscriberId: "d0000000-0000-4000-8000-00000000000d",
    channel: "email",
    stepId: "email-step",
    messageId: "m1",
    errorMessage: "bounced",
    occurredAt: "2026-12-04T05:00:00.000Z",
  });
});

Deno.test("a forged signature is refused with 401 and nothing is recorded", async () => {
  const { handler, recorded } = handlerRecording();
  const forger = new Webhook("whsec_" + btoa("not the endpoint's signing secret"));
  const response = await handler(signedRequest(messageEvent("message.sent"), { secret: forger }));
  assert.equal(response.status, 401);
  const body = await response.json();
  assert.equal(body.error, "INVALID_SIGNATURE");
  assert.equal(typeof body.message, "string");
  assert.equal(recorded.length, 0);
});

Deno.test("a body changed after signing is refused", async () => {
  const { handler, recorded } = handlerRecording();
  const genuine = signedRequest(messageEvent("message.sent"));
  const tampered = new Request(genuine.url, {
    method: "POST",
    headers: genuine.headers,
    body: JSON.stringify(messageEvent("message.failed")),
  });
  assert.equal((await handler(tampered)).status, 401);
  assert.equal(recorded.length, 0);
});

Deno.test("a timestamp more than five minutes old or ahead is refused as stale", async () => {
  const { handler, recorded } = handlerRecording();
  for (const offsetMs of [-6 * 60_000, 6 * 60_000]) {
    const response = await handler(
      signedRequest(messageEvent("message.sent"), { at: new Date(Date.now() + offsetMs) }),
    );
    assert.equal(response.status, 401);
    assert.equal((await response.json()).error, "STALE_WEBHOOK");
  }
  assert.equal(recorded.length, 0);
});

Deno.test("missing signature headers are refused", async () => {
  const { handler, recorded } = handlerRecording();
  const response = await handler(
    new Request("http://localhost/", {
      method: "POST",
      body: JSON.stringify(messageEvent("message.sent")),
    }),
  );
  assert.equal(response.status, 401);
  assert.equal((await response.json()).error, "MISSING_SIGNATURE");
  assert.equal(recorded.length, 0);
});

Deno.test("a svix-id the database has already recorded is refused as a replay", async () => {
  const { handler } = handlerRecording("replayed");
  const response = await handler(signedRequest(messageEvent("message.delivered")));
  assert.equal(response.status, 401);
  assert.equal((await response.json()).error, "REPLAYED_WEBHOOK");
});

Deno.test("duplicates, foreign transactions and non-message events are acknowledged unrecorded", async () => {
  for (const outcome of ["duplicate", "unlinked"] as const) {
    const { handler } = handlerRecording(outcome);
    const response = await handler(signedRequest(messageEvent("message.seen")));
    assert.equal(response.status, 200);
    assert.equal((await response.json()).recorded, false);
  }
  const { handler, recorded } = handlerRecording();
  const workflowEvent = { ...messageEvent("workflow.updated"), data: { object: {} } };
  const response = await handler(signedRequest(workflowEvent));
  assert.equal(response.status, 200);
  assert.equal((await response.json()).recorded, false);
  assert.equal(recorded.length, 0);
});

Deno.test("a signed message event without a transactionId is a bad request", async () => {
  const { handler, recorded } = handlerRecording();
  const event = messageEvent("message.sent");
  event.data.object.transactionId = undefined as unknown as string;
  const response = await handler(signedRequest(event));
  assert.equal(response.status, 400);
  assert.match((await response.json()).message, /transactionId/);
  assert.equal(recorded.length, 0);
});

Deno.test("without a signing secret every request is refused, none recorded", async () => {
  const recorded: unknown[] = [];
  const handler = createNovuWebhookHandler({
    verify: undefined,
    record: (svixId) => {
      recorded.push(svixId);
      return Promise.resolve("recorded");
    },
    logError: () => {},
  });
  const response = await handler(signedRequest(messageEvent("message.sent")));
  assert.equal(response.status, 500);
  assert.equal((await response.json()).error, "NOT_CONFIGURED");
  assert.equal(recorded.length, 0);
});
