import assert from "node:assert/strict";
import { createRetractionBoard } from "./retractions.ts";

Deno.test("a noted retraction is known until it is five minutes old", () => {
  let now = 0;
  const board = createRetractionBoard(() => now);
  board.note(1);
  assert.equal(board.has(1), true);
  assert.equal(board.has(2), false);
  now = 5 * 60_000 + 1;
  board.note(2);
  assert.equal(board.has(1), false, "forgotten once older than any batch");
  assert.equal(board.has(2), true);
});
