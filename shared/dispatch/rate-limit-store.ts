import type { RateLimit, TokenBucket } from "./rate-limit.ts";

/** An enterprise's rate limit as stored, with its bucket's state. */
export interface EnterpriseRateLimit {
  enterpriseId: string;
  limit: RateLimit;
  bucket: TokenBucket | null;
  /** The stored `refilled_at` as read: the version a save must find unchanged. */
  bucketVersion: string | null;
  throttled: boolean;
}

/** Where limits and bucket states live (`notify.enterprise_rate_limit`). */
export interface RateLimitStore {
  /** The limits of these enterprises, plus every enterprise still marked throttled. */
  load(enterpriseIds: string[]): Promise<EnterpriseRateLimit[]>;
  /**
   * Saves the bucket if nobody saved since `entry` was read (compare and set on the
   * version); false when another batch got there first, which then spent the tokens.
   */
  save(entry: EnterpriseRateLimit, bucket: TokenBucket, throttled: boolean): Promise<boolean>;
}
