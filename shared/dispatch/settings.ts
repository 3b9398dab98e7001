import { DEFAULT_DISPATCH_SETTINGS, type DispatchSettings } from "./dispatch.ts";

/** The `notify_internal.setting()` names the dispatcher reads (all optional). */
export const DISPATCH_SETTING_NAMES = [
  "dispatch_max_attempts",
  "dispatch_backoff_base_ms",
  "dispatch_backoff_cap_ms",
  "dispatch_visibility_timeout_s",
  "dispatch_batch_size",
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
  };
}
