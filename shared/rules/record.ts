import type { FiringRecord } from "./firing.ts";

/** What `notify_internal.record_rule_firings` answered for one firing. */
export interface FiringResult {
  rule_id: number;
  fire_at: string | null;
  event_id: number | null;
  firing_id: number | null;
  outcome: "created" | "skipped" | "failed" | "duplicate" | "stale";
  reason: string | null;
}

export type RecordFirings = (firings: FiringRecord[]) => Promise<FiringResult[]>;

/** Firings per database call: one transaction, one notification insert, one dispatcher kick. */
export const FIRINGS_PER_CALL = 500;

/**
 * Records firings in batches. A batch the database refuses as a whole (an unexpected error in
 * one firing) is retried one firing at a time, so one bad rule never stops the others; a
 * firing that still fails is logged and left for the next run (its key was not recorded).
 */
export async function recordInBatches(
  record: RecordFirings,
  firings: FiringRecord[],
  log: (message: string, context?: Record<string, unknown>) => void,
): Promise<FiringResult[]> {
  const results: FiringResult[] = [];
  for (let start = 0; start < firings.length; start += FIRINGS_PER_CALL) {
    const batch = firings.slice(start, start + FIRINGS_PER_CALL);
    try {
      results.push(...await record(batch));
    } catch (batchError) {
      log("recording a batch of firings failed; recording them one by one", {
        error: String(batchError),
      });
      for (const firing of batch) {
        try {
          results.push(...await record([firing]));
        } catch (error) {
          log("recording a firing failed", { rule_id: firing.rule_id, error: String(error) });
        }
      }
    }
  }
  return results;
}

/** Counts of outcomes, for logs and the functions' answers. */
export function summarise(results: FiringResult[]): Record<string, number> {
  const summary: Record<string, number> = {};
  for (const { outcome } of results) summary[outcome] = (summary[outcome] ?? 0) + 1;
  return summary;
}
