import { Cron } from "croner";

/** Rules without `timezone` are evaluated in UTC (README "Rules"). */
export const DEFAULT_TIME_ZONE = "UTC";

/** `trigger_config` of a CRON rule, as the database accepts it at save. */
export interface CronTrigger {
  cron: string;
  timezone?: string;
  /** Wall times in the rule's zone (or instants with an offset) bounding the schedule. */
  start_at?: string;
  end_at?: string;
}

/** `trigger_config` of a SCHEDULE rule: one instant or a list, each fired once. */
export interface ScheduleTrigger {
  at: string | string[];
  timezone?: string;
}

export type TimedTrigger =
  | { type: "CRON"; config: CronTrigger }
  | { type: "SCHEDULE"; config: ScheduleTrigger };

/**
 * Which jobs keep their wall time across DST changes: croner's "no-wildcard" rule, close to
 * Vixie cron (a job is wild only when its seconds, minutes or hours have a wildcard or step).
 * A fixed-time job whose wall time falls in a spring-forward gap fires once, at the first
 * instant after the gap; one whose wall time occurs twice on a fall-back day fires once, at the
 * first occurrence. Interval jobs (`*\/15 * * * *`) follow elapsed time instead.
 */
const FIXED_TIME_RULE = "no-wildcard";

const OFFSET_SUFFIX = /(Z|[+-]\d{2}:\d{2})$/;

/** Compiled patterns, reused across runs: croner's nextRun(date) is pure for a paused job. */
const compiled = new Map<string, Cron>();
const MAX_COMPILED = 10_000;

function cron(pattern: string, timezone: string, mode: "5-or-6-parts" | "7-part"): Cron {
  const key = `${mode}|${timezone}|${pattern}`;
  let job = compiled.get(key);
  if (job === undefined) {
    job = new Cron(pattern, { timezone, mode, fixedTimeRule: FIXED_TIME_RULE, paused: true });
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, job);
  }
  return job;
}

/**
 * The instant of a SCHEDULE entry: with an offset it is absolute; without, a wall time in
 * `timezone`, resolved by croner as a fixed-time job of that one date (so a wall time in a
 * spring-forward gap is the first instant after it, a repeated one its first occurrence).
 */
export function wallTimeInstant(value: string, timezone: string): Date {
  if (OFFSET_SUFFIX.test(value)) return new Date(value);
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) throw new Error(`"${value}" is not an ISO 8601 date-time`);
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const pattern = `${second || 0} ${minute} ${hour} ${day} ${month} * ${year}`;
  // Search from the day before in UTC: the wall date is at most 14 h away from UTC.
  const from = new Date(Date.UTC(year, month - 1, day - 1));
  const instant = cron(pattern, timezone, "7-part").nextRun(from);
  if (!instant) throw new Error(`"${value}" does not occur in time zone ${timezone}`);
  return instant;
}

/** Why `trigger` cannot be evaluated (an expression or zone croner refuses), or null. */
export function triggerError(trigger: TimedTrigger): string | null {
  try {
    instantsBetween(trigger, new Date(0), new Date(0), 1);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The instants of `trigger` in (`after`, `until`], oldest first, at most `limit` of them.
 * Throws when croner refuses the expression or the time zone.
 */
export function instantsBetween(
  trigger: TimedTrigger,
  after: Date,
  until: Date,
  limit: number,
): Date[] {
  const timezone = trigger.config.timezone ?? DEFAULT_TIME_ZONE;
  if (trigger.type === "SCHEDULE") {
    const entries = Array.isArray(trigger.config.at) ? trigger.config.at : [trigger.config.at];
    return entries
      .map((entry) => wallTimeInstant(entry, timezone))
      .filter((instant) => instant > after && instant <= until)
      .sort((a, b) => a.getTime() - b.getTime())
      .slice(0, limit);
  }
  const { cron: pattern, start_at, end_at } = trigger.config;
  const job = cron(pattern, timezone, "5-or-6-parts");
  const start = start_at ? wallTimeInstant(start_at, timezone) : null;
  const end = end_at ? wallTimeInstant(end_at, timezone) : null;
  // Instants before start_at are not due: start searching just before it.
  let cursor = start && start.getTime() - 1 > after.getTime()
    ? new Date(start.getTime() - 1)
    : after;
  const instants: Date[] = [];
  while (instants.length < limit) {
    const next = job.nextRun(cursor);
    if (!next || next > until || (end && next > end)) break;
    instants.push(next);
    cursor = next;
  }
  return instants;
}

/** One formatter per zone (a process sees few zones). */
const wallTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** `instant` as an ISO 8601 wall time with offset in `timezone`, e.g. 2027-03-29T09:00:00+02:00. */
export function localIsoString(instant: Date, timezone: string): string {
  let format = wallTimeFormats.get(timezone);
  if (format === undefined) {
    // Building a formatter costs ~0.5 ms; formatting with one a few microseconds.
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZoneName: "longOffset",
    });
    wallTimeFormats.set(timezone, format);
  }
  const parts = Object.fromEntries(
    format.formatToParts(instant).map((part) => [part.type, part.value]),
  );
  // longOffset reads "GMT+02:00", or "GMT" for a zero offset.
  const offset = parts.timeZoneName === "GMT" ? "+00:00" : parts.timeZoneName.slice(3);
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}
