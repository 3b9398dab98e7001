import type { BackoffPolicy } from "./backoff.ts";

export interface DispatchSettings {
  batchSize: number;
  visibilityTimeoutSeconds: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  /**
   * Notifications of one batch prepared and sent at once, each sending its events (one per
   * chunk of recipients, novu-event.ts) one after another: enough to hide Novu's round trip.
   */
  triggerConcurrency: number;
  /**
   * Fair, prioritised lanes (default). Off (`dispatch_fair_lanes = off`): every message goes
   * through the intake and is read first in, first out, as before lanes existed: the
   * emergency switch, and the throughput benchmark's baseline.
   */
  fairLanes: boolean;
}

export const DEFAULT_DISPATCH_SETTINGS: DispatchSettings = {
  batchSize: 100,
  visibilityTimeoutSeconds: 30,
  maxAttempts: 5,
  backoff: { baseMs: 2_000, capMs: 300_000 },
  triggerConcurrency: 16,
  fairLanes: true,
};

/** The `notify_internal.setting()` names the dispatcher reads (all optional). */
export const DISPATCH_SETTING_NAMES = [
  "dispatch_max_attempts",
  "dispatch_backoff_base_ms",
  "dispatch_backoff_cap_ms",
  "dispatch_visibility_timeout_s",
  "dispatch_batch_size",
  "dispatch_fair_lanes",
] as const;
export type DispatchSettingName = typeof DISPATCH_SETTING_NAMES[number];

function positiveInteger(value: string | null | undefined, fallback: number): number {
  const parsed = Number(value);
  return value != null && Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** Unset or unreadable values keep the defaults; Novu's bulk limit caps the batch size. */
export function parseDispatchSettings(
  raw: Partial<Record<DispatchSettingName, string | null>>,
): DispatchSettings {
  const defaults = DEFAULT_DISPATCH_SETTINGS;
  return {
    ...defaults,
    maxAttempts: positiveInteger(raw.dispatch_max_attempts, defaults.maxAttempts),
    visibilityTimeoutSeconds: positiveInteger(
      raw.dispatch_visibility_timeout_s,
      defaults.visibilityTimeoutSeconds,
    ),
    batchSize: Math.min(100, positiveInteger(raw.dispatch_batch_size, defaults.batchSize)),
    backoff: {
      baseMs: positiveInteger(raw.dispatch_backoff_base_ms, defaults.backoff.baseMs),
      capMs: positiveInteger(raw.dispatch_backoff_cap_ms, defaults.backoff.capMs),
    },
    fairLanes: raw.dispatch_fair_lanes !== "off",
  };
}
