import assert from "node:assert/strict";
import { allowance, msUntilNextToken, type RateLimit, spend, tokensAt } from "./rate-limit.ts";

const limit: RateLimit = { perSecond: 10, burst: 20 };

Deno.test("a bucket never used starts full (burst)", () => {
  assert.equal(allowance(limit, null, 1_000_000), 20);
});

Deno.test("spending empties the bucket, which refills at the rate up to the burst", () => {
  const t0 = 1_000_000;
  const empty = spend(limit, null, 20, t0);
  assert.deepEqual(empty, { tokens: 0, refilledAtMs: t0 });
  assert.equal(allowance(limit, empty, t0), 0);
  assert.equal(allowance(limit, empty, t0 + 250), 2);
  assert.equal(allowance(limit, empty, t0 + 1_000), 10);
  assert.equal(allowance(limit, empty, t0 + 60_000), 20);
});

Deno.test("over a long run the admitted rate is the limit, whatever the demand", () => {
  let bucket = spend(limit, null, 20, 0);
  let admitted = 0;
  for (let now = 100; now <= 10_000; now += 100) {
    const granted = Math.min(1_000, allowance(limit, bucket, now));
    bucket = spend(limit, bucket, granted, now);
    admitted += granted;
  }
  // 10 s at 10/s after the initial burst was spent.
  assert.equal(admitted, 100);
});

Deno.test("the wait for the next token follows the rate", () => {
  const t0 = 5_000;
  const empty = spend(limit, null, 20, t0);
  assert.equal(msUntilNextToken(limit, empty, t0), 100);
  assert.equal(msUntilNextToken(limit, empty, t0 + 40), 60);
  assert.equal(msUntilNextToken(limit, empty, t0 + 100), 0);
});

Deno.test("a raised limit applies from the next batch; a lowered burst caps at once", () => {
  const t0 = 0;
  const empty = spend(limit, null, 20, t0);
  const raised: RateLimit = { perSecond: 1_000, burst: 5_000 };
  assert.equal(allowance(raised, empty, t0 + 1_000), 1_000);
  const full = { tokens: 20, refilledAtMs: t0 };
  assert.equal(tokensAt({ perSecond: 10, burst: 3 }, full, t0), 3);
});
