import assert from "node:assert/strict";
import type { WorkflowPlan } from "../workflows/plan.ts";
import type { BulkLedger, BulkRequest } from "./bulk.ts";
import type { NovuEvent } from "./novu-event.ts";
import type { ClaimedNotification, NotificationStatus } from "./decide.ts";
import type { DispatchDependencies } from "./dependencies.ts";
import { processDispatchBatch } from "./dispatch.ts";
import type { ErrorDetails, NovuSyncState } from "./errors.ts";
import { createPayloadValidator } from "./payload-validation.ts";
import type { DispatchLanes, Queue, QueueMessage } from "./queue.ts";
import { createRetractionBoard } from "./retractions.ts";
import type { NovuPort } from "./send.ts";
import { DEFAULT_DISPATCH_SETTINGS } from "./settings.ts";
import { type NotificationStore, workflowPlanKey } from "./store.ts";

const ENTERPRISE = "11111111-1111-4111-8111-111111111111";

const notification = (id: number, overrides: Partial<ClaimedNotification> = {}) => ({
  id,
  claimed: true,
  status: "PROCESSING" as NotificationStatus,
  publishStatus: "PUBLISH",
  deactivated: false,
  secondsUntilDue: 0,
  enterpriseId: ENTERPRISE,
  workflowId: 1,
  payload: { subject: "Hi", body: "there" },
  recipients: ["user-1"],
  channels: ["EMAIL" as const],
  overrides: null,
  tags: null,
  ...overrides,
});

const workflow: WorkflowPlan = {
  id: 1,
  version: "v1",
  key: "default-email",
  type: "STATIC",
  name: "Default email",
  description: undefined,
  ownerEnterpriseId: null,
  defaultChannels: ["EMAIL"],
  steps: [{ channel: "EMAIL", template: null }],
  payloadSchema: { type: "object", required: ["subject", "body"] },
};

function fakes(
  messages: QueueMessage[],
  states: ClaimedNotification[],
  novuError?: unknown,
  /** What the second, third, ... claim of the batch report (a held notification's new looks). */
  laterClaims: ClaimedNotification[][] = [],
) {
  const log: string[] = [];
  let claims = 0;
  let clock = 0;
  /** The batch's waits, ms. */
  const sleeps: number[] = [];
  const queue: Queue = {
    name: "nl2_11111111111141118111111111111111",
    read: () => Promise.resolve([]),
    delete: (ids) => Promise.resolve(void log.push(`delete ${ids.join(",")}`)),
    delay: (id, seconds) => Promise.resolve(void log.push(`delay ${id} ${seconds}s`)),
    send: (id, attempts, seconds) =>
      Promise.resolve(void log.push(`send ${id} attempts=${attempts} ${seconds}s`)),
    secondsUntilNextVisible: () => Promise.resolve(null),
  };
  const lanes: DispatchLanes = {
    route: () => Promise.resolve(0),
    backlog: () =>
      Promise.resolve([{
        queue: queue.name,
        band: 2,
        enterpriseId: ENTERPRISE,
        visible: messages.length,
      }]),
    read: () => Promise.resolve(messages),
    queue: () => queue,
    secondsUntilNextVisible: () => Promise.resolve(null),
  };
  const store: NotificationStore = {
    claim: () => Promise.resolve(claims++ === 0 ? states : laterClaims[claims - 2] ?? []),
    loadWorkflowPlans: () =>
      Promise.resolve(
        new Map([[workflowPlanKey({ workflowId: 1, enterpriseId: ENTERPRISE }), workflow]]),
      ),
    markSent: (entries) => {
      log.push(`sent ${entries.map((entry) => `${entry.id}=${entry.transactionId}`).join(",")}`);
      return Promise.resolve(new Map(entries.map((entry) => [entry.id, "SENT" as const])));
    },
    settleFailure: (id, move, details: ErrorDetails) => {
      log.push(`${move} ${id} ${details.kind} attempts=${details.attempts}`);
      return Promise.resolve(move === "retry" ? "PENDING" : "FAILED");
    },
    recipientCounts: () => Promise.resolve(new Map()),
    novuSyncStates: (ids, resync) => {
      if (resync) {
        resyncsAsked.push(...ids);
        for (const id of ids) {
          resyncs.set(id, (resyncs.get(id) ?? 0) + 1);
          // The re-sync is asked for: the workflow awaits it.
          awaitingSync.add(states.find((state) => state.id === id)!.workflowId!);
        }
      }
      return Promise.resolve(
        new Map(ids.flatMap((id) => {
          const workflowId = states.find((state) => state.id === id)?.workflowId;
          const held = workflowId != null && awaitingSync.has(workflowId);
          return workflowId != null && (held || resyncs.has(id))
            ? [[id, {
              ...syncState,
              workflowId,
              held,
              overdue: overdue.has(id),
              resyncs: resyncs.get(id) ?? 0,
            }]]
            : [];
        })),
      );
    },
  };
  /** Workflows whose latest change Novu has not been synced yet. */
  const awaitingSync = new Set<number>();
  /** Notifications that have waited for a sync as long as the limit allows. */
  const overdue = new Set<number>();
  /** Notifications whose workflow the dispatcher asked a re-sync for. */
  const resyncsAsked: number[] = [];
  /** Re-syncs per notification so far (Novu answered workflow_not_found). */
  const resyncs = new Map<number, number>();
  const calls: string[] = [];
  const retractions = createRetractionBoard(() => 0);
  /** Notifications whose event Novu answers 201 but will not run. */
  const notRunByNovu = new Set<number>();
  const novu: NovuPort = {
    trigger: (event: NovuEvent, key) => {
      calls.push(
        `trigger ${event.transactionId} key=${key}` +
          (event.resyncs === undefined ? "" : ` resyncs=${event.resyncs}`),
      );
      if (novuError) return Promise.reject(novuError);
      return Promise.resolve(
        notRunByNovu.has(event.notificationId)
          ? { status: "trigger_not_active", error: ["workflow is not active"] }
          : { status: "processed" },
      );
    },
    triggerBulk: (triggers, key) => {
      calls.push(`bulk ${triggers.length} events key=${key.replace(/[0-9a-f-]{36}$/, "<uuid>")}`);
      if (novuError) return Promise.reject(novuError);
      return Promise.resolve(
        triggers.map((trigger) =>
          notRunByNovu.has(Number(trigger.transactionId.split("-")[1]))
            ? { status: "error", error: ["workflow_not_found"] }
            : { status: "processed" }
        ),
      );
    },
    cancel: (transactionId) => Promise.resolve(void calls.push(`cancel ${transactionId}`)),
  };
  /** Recorded bulk requests by key, as the ledger keeps them. */
  const bulkRequests = new Map<string, BulkRequest>();
  /** The notifications each ledger lookup asked about. */
  const ledgerLookups: number[][] = [];
  const bulkLedger: BulkLedger = {
    record: (request) => Promise.resolve(void bulkRequests.set(request.idempotencyKey, request)),
    forget: (key) => Promise.resolve(void bulkRequests.delete(key)),
    open: (ids) => {
      ledgerLookups.push(ids);
      return Promise.resolve(
        [...bulkRequests.values()].filter((request) =>
          request.notificationIds.some((id) => ids.includes(id))
        ),
      );
    },
    close: (keys) => {
      log.push(`close ${keys.length} bulk requests`);
      return Promise.resolve();
    },
  };
  const dependencies: DispatchDependencies = {
    queues: { dispatch: lanes, cancellation: queue },
    store,
    bulkLedger,
    rateLimits: { load: () => Promise.resolve([]), save: () => Promise.resolve(true) },
    novu,
    retractions,
    render: () => Promise.resolve({ body: "" }),
    validatePayload: createPayloadValidator(),
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    log: () => {},
  };
  return {
    dependencies,
    log,
    sleeps,
    calls,
    bulkRequests,
    ledgerLookups,
    retractions,
    notRunByNovu,
    awaitingSync,
    overdue,
    resyncsAsked,
    resyncs,
  };
}

const syncState: NovuSyncState = {
  workflowId: 1,
  workflowKey: "default-email",
  held: false,
  waitingSince: "2026-11-22T10:00:00+00:00",
  overdue: false,
  waitLimitMs: 600_000,
  lastSyncError: null,
  resyncs: 0,
};

const message = (
  msgId: number,
  notificationId: number | null,
  readCount = 1,
  attemptsBefore = 0,
): QueueMessage => ({
  queue: "nl2_11111111111141118111111111111111",
  msgId,
  notificationId,
  readCount,
  attemptsBefore,
});

Deno.test("claimed rows are triggered one event per call under its transactionId and marked sent; others deleted or delayed", async () => {
  const { dependencies, log, calls } = fakes(
    [message(1, 10), message(2, 11), message(3, 12), message(4, 13), message(5, 10)],
    [
      notification(10),
      notification(11),
      notification(12, { claimed: false, status: "RETRACTED" }),
      notification(13, { claimed: false, status: "PENDING", secondsUntilDue: 90 }),
    ],
  );
  const result = await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(calls, [
    "trigger xnovu-10-0 key=xnovu-10-0",
    "trigger xnovu-11-0 key=xnovu-11-0",
  ]);
  assert.deepEqual(log, ["sent 10=xnovu-10-0,11=xnovu-11-0", "delete 5,3,1,2", "delay 4 90s"]);
  assert.deepEqual(result, { messages: 5, nextVisibleInSeconds: 90 });
});

Deno.test("a notification that surfaced before its instant is held by the batch and sent at the instant", async () => {
  // Scheduled messages surface up to a second early (whole-second pgmq delays rounded down).
  const { dependencies, log, calls, sleeps } = fakes(
    [message(1, 10), message(2, 11)],
    [
      notification(10),
      notification(11, { claimed: false, status: "PENDING", secondsUntilDue: 0.4 }),
    ],
    undefined,
    [[notification(11)]],
  );
  const result = await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(calls, [
    "trigger xnovu-10-0 key=xnovu-10-0",
    "trigger xnovu-11-0 key=xnovu-11-0",
  ]);
  assert.deepEqual(sleeps, [405], "until the instant (400 ms) and the 5 ms margin");
  assert.deepEqual(log, ["sent 10=xnovu-10-0", "sent 11=xnovu-11-0", "delete 1,2"]);
  assert.deepEqual(result, { messages: 2, nextVisibleInSeconds: null });
});

Deno.test("a held notification still not due after two looks goes back to the queue for a second", async () => {
  const notDue = (seconds: number) =>
    notification(11, { claimed: false, status: "PENDING", secondsUntilDue: seconds });
  const { dependencies, log, calls, sleeps } = fakes(
    [message(2, 11)],
    [notDue(0.4)],
    undefined,
    [[notDue(0.01)], [notDue(0.01)]],
  );
  const result = await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(calls, []);
  assert.deepEqual(sleeps, [405, 15]);
  assert.deepEqual(log, ["delay 2 1s"]);
  assert.deepEqual(result, { messages: 1, nextVisibleInSeconds: 1 });
});

Deno.test("a payload violating the schema fails without a Novu call", async () => {
  const { dependencies, log, calls } = fakes([message(1, 10)], [
    notification(10, { payload: { subject: "no body" } }),
  ]);
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(calls, []);
  assert.deepEqual(log, ["fail 10 payload_invalid attempts=1", "delete 1"]);
});

Deno.test("a transient Novu error releases for retry with backoff, the last attempt fails", async () => {
  const serverError = Object.assign(new Error("boom"), {
    statusCode: 503,
    body: "down",
    headers: new Headers(),
  });
  const first = fakes([message(1, 10, 2)], [notification(10)], serverError);
  await processDispatchBatch(first.dependencies, DEFAULT_DISPATCH_SETTINGS);
  // attempt 2: 4000 ms exponential -> 2000 + 0.5 * 2000 = 3000 ms -> 3 s
  assert.deepEqual(first.log, ["retry 10 novu_unavailable attempts=2", "delay 1 3s"]);

  const last = fakes([message(1, 10, 5)], [notification(10)], serverError);
  await processDispatchBatch(last.dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(last.log, ["fail 10 novu_unavailable attempts=5", "delete 1"]);
});

Deno.test("a message read more often than the attempts allow is poison: FAILED, not processed again", async () => {
  // Five reads whose processing died (never settled), then a sixth: no sixth attempt.
  const { dependencies, log, calls } = fakes([message(1, 10, 6)], [notification(10)]);
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(calls, [], "nothing rendered or sent for a poison notification");
  assert.deepEqual(log, ["fail 10 poison attempts=6", "delete 1"]);
});

Deno.test("a 429 waits for Retry-After without spending an attempt, even on the last one", async () => {
  const rateLimited = Object.assign(new Error("slow down"), {
    statusCode: 429,
    body: "Too Many Requests",
    headers: new Headers({ "retry-after": "7" }),
  });
  // Attempt 5 of 5 (two earlier messages' attempts carried): a 429 is not a failure.
  const { dependencies, log } = fakes([message(1, 10, 3, 2)], [notification(10)], rateLimited);
  const result = await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(log, [
    "retry 10 novu_rate_limited attempts=4",
    "send 10 attempts=4 7s",
    "delete 1",
  ]);
  assert.equal(result.nextVisibleInSeconds, 7);
});

Deno.test("a workflow Novu has not been synced since its latest change holds its notification without spending an attempt", async () => {
  // Attempt 5 of 5: waiting for the sync must neither fail it nor use the attempt up.
  const { dependencies, log, calls, awaitingSync } = fakes(
    [message(1, 10, 3, 2)],
    [notification(10)],
  );
  awaitingSync.add(1);
  const result = await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(calls, []);
  assert.deepEqual(log, [
    "retry 10 awaiting_novu_sync attempts=4",
    "send 10 attempts=4 2s",
    "delete 1",
  ]);
  assert.equal(result.nextVisibleInSeconds, 2);

  awaitingSync.clear();
  const synced = fakes([message(2, 10, 1, 4)], [notification(10)]);
  await processDispatchBatch(synced.dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(synced.calls, ["trigger xnovu-10-0 key=xnovu-10-0"]);
});

Deno.test("a notification that has waited for its Novu sync as long as the limit allows FAILs, not triggered", async () => {
  const { dependencies, log, calls, awaitingSync, overdue } = fakes(
    [message(1, 10, 1, 0)],
    [notification(10)],
  );
  awaitingSync.add(1);
  overdue.add(10);
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(calls, []);
  assert.deepEqual(log, ["fail 10 workflow_not_synced attempts=1", "delete 1"]);
});

const workflowNotFound = Object.assign(new Error("API error occurred: Status 422"), {
  statusCode: 422,
  body: JSON.stringify({ statusCode: 422, message: "workflow_not_found" }),
  headers: new Headers(),
});

Deno.test("Novu answering workflow_not_found: the dispatcher asks for a re-sync and the notification waits for it, spending no attempt", async () => {
  const { dependencies, log, calls, resyncsAsked } = fakes(
    [message(1, 10, 3, 2)],
    [notification(10)],
    workflowNotFound,
  );
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(calls, ["trigger xnovu-10-0 key=xnovu-10-0"]);
  assert.deepEqual(resyncsAsked, [10]);
  assert.deepEqual(log, [
    "retry 10 awaiting_novu_sync attempts=4",
    "send 10 attempts=4 2s",
    "delete 1",
  ]);
});

Deno.test("a re-synced notification's events carry its re-syncs (the keys they may go under); the others only their transactionId", async () => {
  const { dependencies, calls, resyncs } = fakes([message(1, 10), message(2, 11)], [
    notification(10),
    notification(11),
  ]);
  resyncs.set(10, 2);
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  // The fake Novu processes the first key: a re-synced event stops at its transactionId.
  assert.deepEqual(calls, [
    "trigger xnovu-10-0 key=xnovu-10-0 resyncs=2",
    "trigger xnovu-11-0 key=xnovu-11-0",
  ]);
});

Deno.test("Novu answering workflow_not_found past the wait limit FAILs the notification", async () => {
  const { dependencies, log, resyncsAsked, overdue } = fakes(
    [message(1, 10)],
    [notification(10)],
    workflowNotFound,
  );
  overdue.add(10);
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(resyncsAsked, [10]);
  assert.deepEqual(log, ["fail 10 workflow_not_synced attempts=1", "delete 1"]);
});

Deno.test("Novu still answering workflow_not_found after three re-syncs: every key was tried, and the notification FAILs", async () => {
  const { dependencies, log, calls, resyncs } = fakes(
    [message(1, 10)],
    [notification(10)],
    workflowNotFound,
  );
  resyncs.set(10, 3);
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(calls, [
    "trigger xnovu-10-0 key=xnovu-10-0 resyncs=3",
    "trigger xnovu-10-0 key=xnovu-10-0-r1 resyncs=3",
    "trigger xnovu-10-0 key=xnovu-10-0-r2 resyncs=3",
    "trigger xnovu-10-0 key=xnovu-10-0-r3 resyncs=3",
  ]);
  assert.deepEqual(log, ["fail 10 workflow_not_synced attempts=1", "delete 1"]);
});

Deno.test("attempts carried by a replaced message count toward the limit", async () => {
  const serverError = Object.assign(new Error("boom"), {
    statusCode: 503,
    body: "down",
    headers: new Headers(),
  });
  const { dependencies, log } = fakes([message(1, 10, 1, 4)], [notification(10)], serverError);
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(log, ["fail 10 novu_unavailable attempts=5", "delete 1"]);
});

Deno.test("a notification retracted while its batch is sent: not triggered, or cancelled right after its call", async () => {
  const { dependencies, log, calls, retractions } = fakes(
    [message(1, 10), message(2, 11), message(3, 12)],
    [notification(10), notification(11), notification(12)],
  );
  retractions.note(10);
  const trigger = dependencies.novu.trigger;
  dependencies.novu.trigger = async (event, key) => {
    const outcome = await trigger(event, key);
    // The cancel of 11 is read by the cancellation lane while 11's call is on its way.
    if (event.notificationId === 11) retractions.note(11);
    return outcome;
  };
  // mark_sent finds 10 and 11 RETRACTED.
  dependencies.store.markSent = (entries) => {
    calls.push("mark sent");
    return Promise.resolve(
      new Map(entries.map((entry) => [entry.id, entry.id === 12 ? "SENT" : "RETRACTED"] as const)),
    );
  };
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.ok(!calls.includes("trigger xnovu-10-0 key=xnovu-10-0"), "10 never went out");
  assert.ok(calls.includes("trigger xnovu-12-0 key=xnovu-12-0"));
  assert.ok(
    calls.indexOf("cancel xnovu-11-0") < calls.indexOf("mark sent"),
    `11 is cancelled as soon as its call returns, before the batch settles: ${calls}`,
  );
  assert.deepEqual(log, ["delete 1,2,3"]);
});

Deno.test("Novu's per-event result is honoured: an event it will not run fails its notification alone", async () => {
  const { dependencies, log, notRunByNovu } = fakes(
    [message(1, 10), message(2, 11)],
    [notification(10), notification(11)],
  );
  notRunByNovu.add(10);
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(log, [
    "sent 11=xnovu-11-0",
    "fail 10 novu_rejected attempts=1",
    "delete 2,1",
  ]);
});

Deno.test("a notification's events go out as soon as it is prepared, before later ones are", async () => {
  const { dependencies, calls } = fakes(
    [message(1, 10), message(2, 11), message(3, 12)],
    [notification(10), notification(11), notification(12)],
  );
  const validate = dependencies.validatePayload;
  dependencies.validatePayload = (workflow, payload) => {
    calls.push(`prepare ${payload.subject}`);
    return validate(workflow, payload);
  };
  dependencies.store.claim = () =>
    Promise.resolve(
      [10, 11, 12].map((id) => notification(id, { payload: { subject: `n${id}`, body: "there" } })),
    );
  await processDispatchBatch(dependencies, { ...DEFAULT_DISPATCH_SETTINGS, triggerConcurrency: 2 });
  // Two in flight: the first is sent while the second is prepared, and the third is prepared
  // only once a slot is free; never every render before the first call.
  assert.deepEqual(calls, [
    "prepare n10",
    "prepare n11",
    "trigger xnovu-10-0 key=xnovu-10-0",
    "trigger xnovu-11-0 key=xnovu-11-0",
    "prepare n12",
    "trigger xnovu-12-0 key=xnovu-12-0",
  ]);
});

/** A full batch: `count` single-recipient notifications from id 100 up, one message each. */
function fullBatch(count: number) {
  const ids = Array.from({ length: count }, (_, index) => 100 + index);
  return {
    messages: ids.map((id, index) => message(index + 1, id)),
    states: ids.map((id) => notification(id)),
  };
}

Deno.test("a full batch goes to Novu as one bulk call, recorded before it is sent and closed once settled", async () => {
  const { messages, states } = fullBatch(100);
  const { dependencies, log, calls, bulkRequests, ledgerLookups } = fakes(messages, states);
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(calls, ["bulk 100 events key=xnovu-bulk-<uuid>"]);
  assert.deepEqual(ledgerLookups, [], "first attempts ask the ledger nothing");
  const [recorded] = [...bulkRequests.values()];
  assert.deepEqual(recorded.notificationIds, states.map((state) => state.id));
  assert.deepEqual(
    recorded.triggers.map((trigger) => trigger.transactionId),
    states.map((state) => `xnovu-${state.id}-0`),
  );
  assert.ok(log[0].startsWith("sent 100=xnovu-100-0,101=xnovu-101-0"));
  assert.equal(log[1], "close 1 bulk requests", "closed after the notifications settled");
});

Deno.test("fewer events than a full bulk call go one call per event, as before", async () => {
  const { messages, states } = fullBatch(99);
  const { dependencies, calls, bulkRequests } = fakes(messages, states);
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.equal(calls.length, 99);
  assert.ok(calls.every((call) => call.startsWith("trigger ")));
  assert.equal(bulkRequests.size, 0);
});

Deno.test("an event Novu refuses inside a bulk call goes alone under its own key, and its answer decides", async () => {
  const { messages, states } = fullBatch(100);
  const { dependencies, log, calls, notRunByNovu } = fakes(messages, states);
  notRunByNovu.add(150);
  await processDispatchBatch(dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(calls, [
    "bulk 100 events key=xnovu-bulk-<uuid>",
    "trigger xnovu-150-0 key=xnovu-150-0",
  ]);
  assert.ok(log.includes("fail 150 novu_rejected attempts=1"));
  assert.ok(!log[0].includes("150=xnovu-150-0"), "150 is not marked sent");
});

Deno.test("a lost bulk answer retries its notifications, and their next batch resends the recorded request whole under its key", async () => {
  const timeout = Object.assign(new Error("Gateway Timeout"), {
    statusCode: 504,
    body: "",
    headers: new Headers(),
  });
  const { messages, states } = fullBatch(100);
  const first = fakes(messages, states, timeout);
  await processDispatchBatch(first.dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(first.calls, ["bulk 100 events key=xnovu-bulk-<uuid>"]);
  assert.equal(first.log.filter((line) => line.startsWith("retry ")).length, 100);
  const [lost] = [...first.bulkRequests.values()];

  // The next batch holds only two of its notifications: no preparation, no new key.
  const second = fakes(
    [message(1, 100, 2), message(2, 101, 2)],
    [notification(100), notification(101)],
  );
  second.bulkRequests.set(lost.idempotencyKey, lost);
  const resent: Array<{ key: string; triggers: unknown }> = [];
  const triggerBulk = second.dependencies.novu.triggerBulk;
  second.dependencies.novu.triggerBulk = (triggers, key) => {
    resent.push({ key, triggers });
    return triggerBulk(triggers, key);
  };
  await processDispatchBatch(second.dependencies, DEFAULT_DISPATCH_SETTINGS);
  assert.deepEqual(second.ledgerLookups, [[100, 101]]);
  assert.deepEqual(resent, [{ key: lost.idempotencyKey, triggers: lost.triggers }]);
  assert.equal(second.calls.length, 1, "nothing sent alone");
  assert.equal(second.log[0], "sent 100=xnovu-100-0,101=xnovu-101-0");
});
