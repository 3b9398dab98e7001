import assert from "node:assert/strict";
import type { NovuEvent } from "./novu-event.ts";
import { createRetractionBoard } from "./retractions.ts";
import { classifyTriggerOutcome, type NovuPort, sendEvents } from "./send.ts";

// One case per value of TriggerEventResponseDtoStatus in @novu/api 3.19.1
// (src/models/components/triggereventresponsedto.ts), plus a status that enum does not know.
Deno.test("Novu's processed answer is delivered: no failure", () => {
  assert.deepEqual(classifyTriggerOutcome({ status: "processed" }), null);
});

for (
  const status of [
    "error",
    "trigger_not_active",
    "no_workflow_active_steps_defined",
    "no_workflow_steps_defined",
    "no_tenant_found",
    "invalid_recipients",
    "a_status_from_a_newer_novu",
  ]
) {
  Deno.test(`Novu's ${status} answer fails the notification at once with the answer kept`, () => {
    const answer = { status, error: ["why Novu will not run it"] };
    assert.deepEqual(classifyTriggerOutcome(answer), {
      kind: "novu_rejected",
      retryable: false,
      message:
        `Novu accepted the trigger but will not run it: ${status} (why Novu will not run it)`,
      upstreamStatus: 201,
      upstreamBody: `{"status":"${status}","error":["why Novu will not run it"]}`,
    });
  });
}

/** A Novu that answers each Idempotency-Key from `answers` (else processed), recording the keys. */
function novuAnswering(answers: Record<string, "processed" | "workflow_not_found">) {
  const keys: string[] = [];
  const novu: NovuPort = {
    trigger: (_event, key) => {
      keys.push(key);
      if (answers[key] !== "workflow_not_found") return Promise.resolve({ status: "processed" });
      return Promise.reject(Object.assign(new Error("API error occurred: Status 422"), {
        statusCode: 422,
        body: JSON.stringify({ statusCode: 422, message: "workflow_not_found" }),
        headers: new Headers(),
      }));
    },
    triggerBulk: () => Promise.reject(new Error("not expected")),
    cancel: () => Promise.resolve(),
  };
  return { novu, keys };
}

const event = (transactionId: string, resyncs?: number): NovuEvent => ({
  notificationId: 7,
  workflowId: "acme-maintenance",
  to: ["user-1"],
  payload: {},
  transactionId,
  ...(resyncs === undefined ? {} : { resyncs }),
});

async function send(novu: NovuPort, events: NovuEvent[]) {
  return await sendEvents(
    { novu, retractions: createRetractionBoard(() => 0), now: () => 0, log: () => {} },
    events,
    1,
  );
}

Deno.test("an event never re-synced goes under its transactionId alone, even when Novu does not know the workflow", async () => {
  const { novu, keys } = novuAnswering({ "xnovu-7-0": "workflow_not_found" });
  const failures = await send(novu, [event("xnovu-7-0")]);
  assert.deepEqual(keys, ["xnovu-7-0"]);
  assert.equal(failures.get("xnovu-7-0")?.kind, "novu_workflow_not_found");
});

Deno.test("after re-syncs each event tries its keys oldest first: one that ran under an older key is replayed, not run again", async () => {
  // Chunk 0 ran under its transactionId before Novu lost the workflow; chunk 1 was refused
  // under its transactionId and under -r1, and is new under -r2.
  const { novu, keys } = novuAnswering({
    "xnovu-7-1": "workflow_not_found",
    "xnovu-7-1-r1": "workflow_not_found",
  });
  const failures = await send(novu, [event("xnovu-7-0", 2), event("xnovu-7-1", 2)]);
  assert.deepEqual(keys, ["xnovu-7-0", "xnovu-7-1", "xnovu-7-1-r1", "xnovu-7-1-r2"]);
  assert.deepEqual([...failures.keys()], []);
});

Deno.test("every key refused: the event's failure is Novu's workflow_not_found", async () => {
  const { novu, keys } = novuAnswering({
    "xnovu-7-0": "workflow_not_found",
    "xnovu-7-0-r1": "workflow_not_found",
  });
  const failures = await send(novu, [event("xnovu-7-0", 1)]);
  assert.deepEqual(keys, ["xnovu-7-0", "xnovu-7-0-r1"]);
  assert.equal(failures.get("xnovu-7-0")?.kind, "novu_workflow_not_found");
});
