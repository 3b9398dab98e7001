import assert from "node:assert/strict";
import { backoffDelayMs, delaySeconds } from "./backoff.ts";

const policy = { baseMs: 2_000, capMs: 300_000 };

Deno.test("backoff doubles per attempt with equal jitter", () => {
  // attempt 1: 2000 -> 1000 + r * 1000
  assert.equal(backoffDelayMs(1, policy, () => 0), 1_000);
  assert.equal(backoffDelayMs(1, policy, () => 0.5), 1_500);
  // attempt 3: 8000 -> 4000 + 0.25 * 4000
  assert.equal(backoffDelayMs(3, policy, () => 0.25), 5_000);
  // attempt 5: 32000 -> 16000 + 0.999 * 16000 = 31984
  assert.equal(backoffDelayMs(5, policy, () => 0.999), 31_984);
});

Deno.test("backoff is capped", () => {
  // 2000 * 2^19 is far above the cap: 150000 + 0.5 * 150000
  assert.equal(backoffDelayMs(20, policy, () => 0.5), 225_000);
});

Deno.test("Retry-After is the minimum delay", () => {
  assert.equal(backoffDelayMs(1, policy, () => 0, 7_000), 7_000);
  assert.equal(backoffDelayMs(4, policy, () => 0, 1_000), 8_000);
});

Deno.test("visibility delays are whole seconds, at least one", () => {
  assert.equal(delaySeconds(0), 1);
  assert.equal(delaySeconds(1_000), 1);
  assert.equal(delaySeconds(1_001), 2);
  assert.equal(delaySeconds(31_984), 32);
});
