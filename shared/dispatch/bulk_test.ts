import assert from "node:assert/strict";
import {
  BULK_EVENTS,
  type BulkDependencies,
  type BulkRequest,
  groupForBulk,
  newBulkRequest,
  type ReadyNotification,
  sendBulkRequest,
} from "./bulk.ts";
import type { NovuEvent } from "./novu-event.ts";
import { createRetractionBoard } from "./retractions.ts";
import type { TriggerOutcome } from "./send.ts";

const event = (notificationId: number, chunk = 0): NovuEvent => ({
  notificationId,
  workflowId: "default-email",
  to: [`user-${notificationId}`],
  payload: { n: notificationId },
  transactionId: `xnovu-${notificationId}-${chunk}`,
});

const ready = (notificationId: number, chunks = 1): ReadyNotification => ({
  notificationId,
  events: Array.from({ length: chunks }, (_, chunk) => event(notificationId, chunk)),
});

const ids = (notifications: ReadyNotification[]) =>
  notifications.map((notification) => notification.notificationId);

Deno.test("only full calls go in bulk, in order; the rest go alone", () => {
  const notifications = Array.from({ length: 250 }, (_, index) => ready(index + 1));
  const { bulks, singles } = groupForBulk(notifications);
  assert.deepEqual(bulks.map(ids), [
    ids(notifications.slice(0, 100)),
    ids(notifications.slice(100, 200)),
  ]);
  assert.deepEqual(ids(singles), ids(notifications.slice(200)));
});

Deno.test("a notification's chunks stay in one call: one that would overflow goes alone", () => {
  const notifications = [
    ...Array.from({ length: BULK_EVENTS - 1 }, (_, index) => ready(index + 1)),
    ready(500, 2),
    ready(600),
  ];
  const { bulks, singles } = groupForBulk(notifications);
  assert.equal(bulks.length, 1);
  assert.deepEqual(ids(bulks[0]).slice(-1), [600]);
  assert.deepEqual(ids(singles), [500]);
});

Deno.test("a new bulk request has a key of its own within Novu's 255 characters and carries only the triggers", () => {
  const request = newBulkRequest([ready(1), ready(2, 2)]);
  assert.match(request.idempotencyKey, /^xnovu-bulk-[0-9a-f-]{36}$/);
  assert.notEqual(request.idempotencyKey, newBulkRequest([ready(1)]).idempotencyKey);
  assert.deepEqual(request.notificationIds, [1, 2]);
  assert.deepEqual(request.triggers.map((trigger) => trigger.transactionId), [
    "xnovu-1-0",
    "xnovu-2-0",
    "xnovu-2-1",
  ]);
  assert.ok(request.triggers.every((trigger) => !("notificationId" in trigger)));
});

/** Dependencies whose Novu answers the bulk call with `answer` and single calls with processed. */
function fakes(answer: () => Promise<TriggerOutcome[]>) {
  const calls: string[] = [];
  const dependencies: BulkDependencies = {
    novu: {
      trigger: (single, key) => {
        calls.push(`trigger ${single.transactionId} key=${key}`);
        return Promise.resolve({ status: "processed" });
      },
      triggerBulk: (triggers, key) => {
        calls.push(`bulk ${triggers.length} key=${key}`);
        return answer();
      },
      cancel: (transactionId) => Promise.resolve(void calls.push(`cancel ${transactionId}`)),
    },
    bulkLedger: {
      record: (request) => Promise.resolve(void calls.push(`record ${request.idempotencyKey}`)),
      open: () => Promise.resolve([]),
      close: () => Promise.resolve(),
      forget: (key) => Promise.resolve(void calls.push(`forget ${key}`)),
    },
    retractions: createRetractionBoard(() => 0),
    now: () => 0,
    log: () => {},
  };
  return { dependencies, calls };
}

const request: BulkRequest = newBulkRequest([ready(1), ready(2), ready(3)]);
const events = [event(1), event(2), event(3)];
const refusal = (statusCode: number, headers = new Headers()) =>
  Object.assign(new Error(`API error occurred: Status ${statusCode}`), {
    statusCode,
    body: JSON.stringify({ statusCode, message: "refused" }),
    headers,
  });

Deno.test("recorded before it is sent; each event Novu refuses inside the call goes alone, the rest are accepted", async () => {
  const { dependencies, calls } = fakes(() =>
    Promise.resolve([
      { status: "processed" },
      { status: "error", error: ["workflow_not_found"] },
      { status: "processed" },
    ])
  );
  const failures = await sendBulkRequest(dependencies, request, events, true);
  assert.deepEqual(calls, [
    `record ${request.idempotencyKey}`,
    `bulk 3 key=${request.idempotencyKey}`,
    "trigger xnovu-2-0 key=xnovu-2-0",
  ]);
  assert.equal(failures.size, 0);
});

Deno.test("a call Novu refuses whole (4xx) ran nothing: every event goes alone under its own key", async () => {
  const { dependencies, calls } = fakes(() => Promise.reject(refusal(413)));
  const failures = await sendBulkRequest(dependencies, request, events, false);
  assert.deepEqual(calls.slice(1), [
    "trigger xnovu-1-0 key=xnovu-1-0",
    "trigger xnovu-2-0 key=xnovu-2-0",
    "trigger xnovu-3-0 key=xnovu-3-0",
  ]);
  assert.equal(failures.size, 0);
});

for (
  const [what, error, kind] of [
    ["a lost answer (504)", refusal(504), "novu_timeout"],
    ["a 5xx", refusal(502), "novu_unavailable"],
    ["the same key still in progress (409)", refusal(409), "novu_unavailable"],
    ["a 429", refusal(429, new Headers({ "retry-after": "3" })), "novu_rate_limited"],
  ] as const
) {
  Deno.test(`${what}: every event fails with it (${kind}) and none goes alone`, async () => {
    const { dependencies, calls } = fakes(() => Promise.reject(error));
    const failures = await sendBulkRequest(dependencies, request, events, false);
    assert.deepEqual(calls, [`bulk 3 key=${request.idempotencyKey}`]);
    assert.deepEqual([...failures.keys()], ["xnovu-1-0", "xnovu-2-0", "xnovu-3-0"]);
    assert.ok(
      [...failures.values()].every((failure) => failure.kind === kind && failure.retryable),
    );
  });
}

Deno.test("a resent request reports only the batch's own events, and is not recorded again", async () => {
  const { dependencies, calls } = fakes(() =>
    Promise.resolve([{ status: "processed" }, { status: "processed" }, { status: "error" }])
  );
  const failures = await sendBulkRequest(dependencies, request, [event(2)], false);
  assert.deepEqual(calls, [`bulk 3 key=${request.idempotencyKey}`]);
  assert.equal(failures.size, 0, "3's refusal is its own batch's business");
});

Deno.test("an answer with the wrong number of results is not taken as success", async () => {
  const { dependencies } = fakes(() => Promise.resolve([{ status: "processed" }]));
  const failures = await sendBulkRequest(dependencies, request, events, false);
  assert.equal(failures.size, 3);
  assert.equal(failures.get("xnovu-1-0")?.kind, "internal_error");
  assert.equal(failures.get("xnovu-1-0")?.retryable, true);
});

Deno.test("an accepted event of a notification retracted meanwhile is cancelled at once", async () => {
  const { dependencies, calls } = fakes(() =>
    Promise.resolve([{ status: "processed" }, { status: "processed" }, { status: "processed" }])
  );
  dependencies.retractions.note(3);
  await sendBulkRequest(dependencies, request, events, false);
  assert.deepEqual(calls.slice(1), ["cancel xnovu-3-0"]);
});

Deno.test("a first send Novu refused whole ran nothing: the request is forgotten at once", async () => {
  for (const status of [400, 429]) {
    const { dependencies, calls } = fakes(() => Promise.reject(refusal(status)));
    await sendBulkRequest(dependencies, request, events, true);
    assert.ok(calls.includes(`forget ${request.idempotencyKey}`), `after a ${status}`);
  }
});

Deno.test("a resend refused says nothing of the first send, which may have run: the request stays", async () => {
  for (const status of [400, 429]) {
    const { dependencies, calls } = fakes(() => Promise.reject(refusal(status)));
    await sendBulkRequest(dependencies, request, events, false);
    assert.ok(!calls.some((call) => call.startsWith("forget")), `after a ${status}`);
  }
});

Deno.test("a lost answer of a first send keeps the request", async () => {
  const { dependencies, calls } = fakes(() => Promise.reject(refusal(504)));
  await sendBulkRequest(dependencies, request, events, true);
  assert.ok(!calls.some((call) => call.startsWith("forget")));
});
