import { instantsBetween, type TimedTrigger } from "./schedule.ts";

export interface PlanSettings {
  /** Firings due within this window are materialised ahead, with their exact scheduled_for. */
  lookaheadMs: number;
  /** Instants missed (scheduler down) by at most this much still fire, late, once each. */
  graceMs: number;
}

/** Defaults of the settings rules_lookahead_s and rules_grace_s (README "Rules"). */
export const DEFAULT_PLAN_SETTINGS: PlanSettings = { lookaheadMs: 120_000, graceMs: 300_000 };

/** Bounds of one run, so a long downtime or a per-second cron never becomes a burst. */
export const MAX_DUE_PER_RULE = 1_000;
export const MAX_SKIPPED_RECORDED_PER_RULE = 100;
const MAX_MISSED_SCANNED = 10_000;
const MAX_CATCH_UP_MS = 24 * 3_600_000;

export interface TimedRulePlanInput {
  trigger: TimedTrigger;
  /** The rule version's start (its updated_at): a rule published or edited later starts there. */
  version: Date;
  /** The latest instant already recorded for this version, if any. */
  lastPlanned: Date | null;
}

export interface Plan {
  /** Instants to materialise: late ones within the grace window, then the look-ahead. */
  due: Date[];
  /** Instants missed beyond the grace window: recorded as skipped, never fired. */
  missed: Date[];
}

function latest(...dates: Date[]): Date {
  return new Date(Math.max(...dates.map((date) => date.getTime())));
}

/** What one scheduler run at `now` does for one CRON or SCHEDULE rule. Pure. */
export function planFirings(input: TimedRulePlanInput, now: Date, settings: PlanSettings): Plan {
  const after = latest(
    input.version,
    input.lastPlanned ?? input.version,
    new Date(now.getTime() - MAX_CATCH_UP_MS),
  );
  const graceStart = new Date(now.getTime() - settings.graceMs);
  const missed = after < graceStart
    ? instantsBetween(input.trigger, after, graceStart, MAX_MISSED_SCANNED)
      .slice(-MAX_SKIPPED_RECORDED_PER_RULE)
    : [];
  const due = instantsBetween(
    input.trigger,
    latest(after, graceStart),
    new Date(now.getTime() + settings.lookaheadMs),
    MAX_DUE_PER_RULE,
  );
  return { due, missed };
}
