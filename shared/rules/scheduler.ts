import type { PayloadValidator } from "../dispatch/payload-validation.ts";
import { buildFiring, failedFiring, type FiringRecord, type RuleDefinition } from "./firing.ts";
import { planFirings, type PlanSettings } from "./plan.ts";
import { type FiringResult, type RecordFirings, recordInBatches } from "./record.ts";
import { DEFAULT_TIME_ZONE, localIsoString, type TimedTrigger } from "./schedule.ts";

/** A published, active CRON or SCHEDULE rule as the scheduler reads it. */
export interface TimedRule extends RuleDefinition {
  trigger: TimedTrigger;
  /** The latest instant recorded for this version of the rule, if any. */
  lastPlanned: Date | null;
}

export interface SchedulerDependencies {
  loadTimedRules: () => Promise<TimedRule[]>;
  recordFirings: RecordFirings;
  validatePayload: PayloadValidator;
  log: (message: string, context?: Record<string, unknown>) => void;
}

/**
 * One scheduler run at `now` (the injected clock): plans every timed rule and records its
 * firings: instants missed beyond the grace window as skipped, late ones within it and those
 * due within the look-ahead as notifications with the exact `scheduled_for`. Idempotent: the
 * firing keys make a second run (or an overlapping one) create nothing new.
 */
export async function runScheduler(
  dependencies: SchedulerDependencies,
  now: Date,
  settings: PlanSettings,
): Promise<FiringResult[]> {
  const firings: FiringRecord[] = [];
  for (const rule of await dependencies.loadTimedRules()) {
    firings.push(...timedRuleFirings(rule, now, settings, dependencies.validatePayload));
  }
  return await recordInBatches(dependencies.recordFirings, firings, dependencies.log);
}

/** The firings one run records for one rule. Pure but for croner's clock-free evaluation. */
export function timedRuleFirings(
  rule: TimedRule,
  now: Date,
  settings: PlanSettings,
  validatePayload: PayloadValidator,
): FiringRecord[] {
  const version = new Date(rule.version);
  let plan;
  try {
    plan = planFirings(
      { trigger: rule.trigger, version, lastPlanned: rule.lastPlanned },
      now,
      settings,
    );
  } catch (error) {
    // Keyed on the version's own instant: recorded once per version, not once per run.
    return [
      failedFiring(
        rule,
        { fire_at: rule.version },
        "failed",
        `trigger_config: ${(error as Error).message}`,
      ),
    ];
  }
  const timezone = rule.trigger.config.timezone ?? DEFAULT_TIME_ZONE;
  const graceSeconds = Math.round(settings.graceMs / 1000);
  return [
    ...plan.missed.map((instant) =>
      failedFiring(
        rule,
        { fire_at: instant.toISOString() },
        "skipped",
        `missed: the scheduler did not run within the ${graceSeconds} s grace window after this instant`,
      )
    ),
    ...plan.due.map((instant) =>
      buildFiring(rule, { fire_at: instant.toISOString() }, {
        rule: { id: rule.id, name: rule.name },
        fire_at: instant.toISOString(),
        fire_at_local: localIsoString(instant, timezone),
        timezone,
      }, validatePayload)
    ),
  ];
}
