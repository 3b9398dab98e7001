import assert from "node:assert/strict";
import { bulkIdempotencyKey, type NovuEvent, planTriggerCalls } from "./bulk.ts";

const event = (transactionId: string): NovuEvent => ({
  workflowId: "default-email",
  to: ["user-1"],
  payload: {},
  transactionId,
});

Deno.test("one ready event is a single trigger keyed by its transaction id", () => {
  assert.deepEqual(planTriggerCalls([event("xnovu-1-0")]), [
    { kind: "single", event: event("xnovu-1-0"), idempotencyKey: "xnovu-1-0" },
  ]);
});

Deno.test("several events go in bulk calls of at most 100, a lone remainder alone", () => {
  const events = Array.from({ length: 201 }, (_, index) => event(`xnovu-${index}-0`));
  const calls = planTriggerCalls(events);
  assert.deepEqual(calls.map((call) => call.kind), ["bulk", "bulk", "single"]);
  assert.equal(calls[0].kind === "bulk" && calls[0].events.length, 100);
  assert.equal(calls[1].kind === "bulk" && calls[1].events[0].transactionId, "xnovu-100-0");
  assert.deepEqual(calls[2], {
    kind: "single",
    event: event("xnovu-200-0"),
    idempotencyKey: "xnovu-200-0",
  });
  assert.equal(planTriggerCalls([]).length, 0);
});

Deno.test("a bulk key depends on the set of transaction ids, not their order", () => {
  // sha256 of "xnovu-1-0\nxnovu-2-0", computed with `printf 'xnovu-1-0\nxnovu-2-0' | sha256sum`.
  const expected = "xnovu-bulk-c89997b020f6a67c01ccc70b454561b349d332db504ac1944024c4dd40be615d";
  assert.equal(
    bulkIdempotencyKey(["xnovu-2-0", "xnovu-1-0"]),
    bulkIdempotencyKey(["xnovu-1-0", "xnovu-2-0"]),
  );
  assert.notEqual(
    bulkIdempotencyKey(["xnovu-1-0"]),
    bulkIdempotencyKey(["xnovu-1-0", "xnovu-2-0"]),
  );
  assert.equal(bulkIdempotencyKey(["xnovu-2-0", "xnovu-1-0"]), expected);
});
