/**
 * Per-enterprise rate limits: a token bucket (`perSecond` refill, `burst` capacity) per
 * enterprise. Pure: the clock is an argument, the bucket's state is stored by the caller
 * (`notify.enterprise_rate_limit`), so every worker and instance shares one bucket.
 */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export interface TokenBucket {
  tokens: number;
  /** Epoch ms of the last refill. */
  refilledAtMs: number;
}

/** Whole and fractional tokens available at `nowMs`; an enterprise never seen starts full. */
export function tokensAt(limit: RateLimit, bucket: TokenBucket | null, nowMs: number): number {
  if (bucket === null) return limit.burst;
  const elapsedSeconds = Math.max(0, nowMs - bucket.refilledAtMs) / 1000;
  // A lowered burst applies at once: never more tokens than the current capacity.
  return Math.min(limit.burst, bucket.tokens + elapsedSeconds * limit.perSecond);
}

/** How many notifications may go now: the whole tokens. */
export function allowance(limit: RateLimit, bucket: TokenBucket | null, nowMs: number): number {
  return Math.floor(tokensAt(limit, bucket, nowMs));
}

/** Spends `count` tokens (at most what is there) and returns the bucket afterwards. */
export function spend(
  limit: RateLimit,
  bucket: TokenBucket | null,
  count: number,
  nowMs: number,
): TokenBucket {
  const tokens = tokensAt(limit, bucket, nowMs);
  return { tokens: Math.max(0, tokens - count), refilledAtMs: nowMs };
}

/** Milliseconds until the next whole token, for a bucket with less than one left. */
export function msUntilNextToken(limit: RateLimit, bucket: TokenBucket | null, nowMs: number) {
  const tokens = tokensAt(limit, bucket, nowMs);
  return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / limit.perSecond) * 1000);
}
