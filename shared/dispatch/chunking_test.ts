import assert from "node:assert/strict";
import { chunkRecipients } from "./chunking.ts";
import { chunkTransactionIds, notificationTransactionId } from "../novu/transaction-id.ts";

const recipients = (count: number) => Array.from({ length: count }, (_, index) => `user-${index}`);

Deno.test("250 recipients become triggers of 100, 100 and 50 with ids xnovu-7-0..2", () => {
  const chunks = chunkRecipients(7, recipients(250));
  assert.deepEqual(chunks.map((chunk) => chunk.transactionId), [
    "xnovu-7-0",
    "xnovu-7-1",
    "xnovu-7-2",
  ]);
  assert.deepEqual(chunks.map((chunk) => chunk.subscriberIds.length), [100, 100, 50]);
  assert.equal(chunks[1].subscriberIds[0], "user-100");
  assert.equal(chunks[2].subscriberIds[49], "user-249");
});

Deno.test("exactly 100 recipients make one trigger; one recipient too", () => {
  assert.deepEqual(chunkRecipients(3, recipients(100)).map((chunk) => chunk.transactionId), [
    "xnovu-3-0",
  ]);
  assert.deepEqual(chunkRecipients(3, ["only"]), [
    { transactionId: "xnovu-3-0", subscriberIds: ["only"] },
  ]);
});

Deno.test("the transaction ids of a notification are stable; the stored one is the first chunk's", () => {
  assert.equal(notificationTransactionId(42), "xnovu-42-0");
  assert.deepEqual(chunkTransactionIds(42, 201), ["xnovu-42-0", "xnovu-42-1", "xnovu-42-2"]);
  assert.deepEqual(chunkTransactionIds(42, 0), []);
});
