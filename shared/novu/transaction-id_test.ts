import assert from "node:assert/strict";
import {
  chunkTransactionId,
  notificationIdOfTransactionId,
  novuIdempotencyKeys,
} from "./transaction-id.ts";

Deno.test("a chunk's transactionId leads back to its notification", () => {
  assert.equal(notificationIdOfTransactionId(chunkTransactionId(42, 0)), 42);
  assert.equal(notificationIdOfTransactionId(chunkTransactionId(9_007_199, 3)), 9_007_199);
  assert.equal(notificationIdOfTransactionId("xnovu-7-12"), 7);
});

Deno.test("ids XNovu did not make lead to no notification", () => {
  for (
    const foreign of [
      "0b1c6f0e-2b7a-4d3e-9a43-1f1f0d8c2e11",
      "xnovu-42",
      "xnovu-42-",
      "xnovu-0-0",
      "xnovu-042-0",
      "xnovu-42-01",
      "xnovu-42-0-extra",
      " xnovu-42-0",
      "xnovu-99999999999999999999-0",
    ]
  ) {
    assert.equal(notificationIdOfTransactionId(foreign), undefined, foreign);
  }
});

Deno.test("the Idempotency-Keys are the transactionId, then one per re-sync, oldest first", () => {
  assert.deepEqual(novuIdempotencyKeys("xnovu-7-0", 0), ["xnovu-7-0"]);
  assert.deepEqual(novuIdempotencyKeys("xnovu-7-1", 2), [
    "xnovu-7-1",
    "xnovu-7-1-r1",
    "xnovu-7-1-r2",
  ]);
});
