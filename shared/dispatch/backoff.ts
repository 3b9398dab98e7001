export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * Delay before attempt `attempt + 1` after `attempt` failed (1-based, pgmq's `read_ct`):
 * exponential (`base * 2^(attempt-1)`, capped) with equal jitter (half fixed, half random),
 * so retries spread out but never come back sooner than half the exponential step. A
 * `Retry-After` from Novu is the minimum.
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
  minimumMs = 0,
): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(Math.round(jittered), minimumMs);
}

/** pgmq 1.4.4's `set_vt` takes whole seconds; never round a delay down to "now". */
export function delaySeconds(delayMs: number): number {
  return Math.max(1, Math.ceil(delayMs / 1000));
}
