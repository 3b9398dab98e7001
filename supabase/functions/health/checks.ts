import type { Sql } from "../../../shared/db/client.ts";
import { NOVU_SIGNATURE_HEADER, signNovuRequest } from "../../../shared/novu/signature.ts";
import type { CheckOutcome, HealthCheck } from "./handler.ts";

/** The pg_cron safety-net sweep the dispatcher's migration schedules. */
export const SWEEP_JOB_NAME = "xnovu-dispatch-sweep";

/**
 * Health limits, read from notify_internal.setting() (Vault secret `xnovu_<name>` on hosted, the
 * local settings table here) on every probe, so an operator can tune them without a deploy.
 */
export const HEALTH_SETTINGS = {
  /** A visible queue message waiting longer than this means nothing is reading that queue. */
  queueWaitLimitS: { name: "health_queue_wait_limit_s", fallback: 300 },
  /** The sweep runs every 10 s (hosted) or 60 s (local); this much silence means it stopped. */
  sweepSilenceLimitS: { name: "health_sweep_silence_limit_s", fallback: 180 },
  /** Kicks are judged over this window ... */
  kickWindowS: { name: "health_kick_window_s", fallback: 300 },
  /** ... and failing when this many newest kicks in it (or all, when fewer) failed. */
  kickFailuresInARow: { name: "health_kick_failures_in_a_row", fallback: 3 },
} as const;

type SettingKey = keyof typeof HEALTH_SETTINGS;

/** The named setting as a whole number, or its fallback when unset or not a whole number. */
async function healthSetting(sql: Sql, key: SettingKey): Promise<number> {
  const { name, fallback } = HEALTH_SETTINGS[key];
  const [{ value }] = await sql<{ value: number }[]>`
    select notify_internal.setting_integer(${name}, ${fallback}) as value`;
  return value;
}

export function databaseCheck(sql: Sql): HealthCheck {
  return async () => {
    await sql`select 1`;
    return { ok: true };
  };
}

export interface QueueWait {
  queue_name: string;
  visible: number;
  delayed: number;
  oldest_visible_wait_s: number | null;
}

/**
 * Scheduled sends and retries wait as delayed (invisible) messages, so only visible ones are judged: a
 * visible message waiting longer than the limit means no dispatcher is reading its queue.
 */
export function judgeQueues(waits: QueueWait[], waitLimitS: number): CheckOutcome {
  let longest: QueueWait | undefined;
  for (const wait of waits) {
    if ((wait.oldest_visible_wait_s ?? -1) > (longest?.oldest_visible_wait_s ?? -1)) longest = wait;
  }
  const details = {
    visible: waits.reduce((sum, wait) => sum + wait.visible, 0),
    delayed: waits.reduce((sum, wait) => sum + wait.delayed, 0),
    oldest_visible_wait_s: longest?.oldest_visible_wait_s ?? null,
    longest_waiting_queue: longest?.queue_name ?? null,
    wait_limit_s: waitLimitS,
  };
  const stalled = waits.filter((wait) => (wait.oldest_visible_wait_s ?? 0) > waitLimitS);
  if (stalled.length === 0) return { ok: true, ...details };
  return {
    ok: false,
    ...details,
    stalled_queues: stalled.map((wait) => wait.queue_name),
    message: `${stalled.length} queue(s) have a visible message waiting longer than ` +
      `${waitLimitS} s; the longest, ${longest!.queue_name}, for ${
        longest!.oldest_visible_wait_s
      } s`,
  };
}

export function queueCheck(sql: Sql): HealthCheck {
  return async () => {
    const waits = await sql<QueueWait[]>`
      select queue_name, visible::integer as visible, delayed::integer as delayed,
             extract(epoch from longest_visible_wait)::integer as oldest_visible_wait_s
        from notify_internal.queue_state()`;
    return judgeQueues(waits, await healthSetting(sql, "queueWaitLimitS"));
  };
}

export interface KickOutcomes {
  considered: number;
  failed: number;
  newest_failure_at: Date | null;
  newest_failure: string | null;
}

/** Failing when every one of the newest kicks considered failed (at least one was made). */
export function judgeKicks(outcomes: KickOutcomes): CheckOutcome {
  const details = { considered: outcomes.considered, failed: outcomes.failed };
  if (outcomes.considered === 0 || outcomes.failed < outcomes.considered) {
    return { ok: true, ...details };
  }
  return {
    ok: false,
    ...details,
    newest_failure_at: outcomes.newest_failure_at,
    message: `the last ${outcomes.considered} kick(s) of the edge functions failed; the newest: ` +
      outcomes.newest_failure,
  };
}

export function kickCheck(sql: Sql): HealthCheck {
  return async () => {
    const [windowS, newest] = await Promise.all([
      healthSetting(sql, "kickWindowS"),
      healthSetting(sql, "kickFailuresInARow"),
    ]);
    const [outcomes] = await sql<KickOutcomes[]>`
      select considered, failed, newest_failure_at, newest_failure
        from notify_internal.recent_kick_failures(make_interval(secs => ${windowS}), ${newest})`;
    return judgeKicks(outcomes);
  };
}

export interface CronJobState {
  active: boolean;
  last_run_status: string | null;
  last_run_started_at: Date | null;
  last_run_message: string | null;
  /** Seconds since the last run started; null when it never ran. */
  seconds_since_last_run: number | null;
  /** Seconds since the database started: a job that never ran is judged only after the limit. */
  seconds_since_database_start: number;
}

/**
 * The sweep must exist, be active, have run within the silence limit (or the database must have
 * started less than that long ago) and its last run must not have failed.
 */
export function judgeCronJob(
  jobName: string,
  job: CronJobState | undefined,
  silenceLimitS: number,
): CheckOutcome {
  if (job === undefined) {
    return { ok: false, job: jobName, message: `pg_cron job ${jobName} does not exist` };
  }
  const lastRun = job.last_run_status === null ? null : {
    status: job.last_run_status,
    started_at: job.last_run_started_at,
    message: job.last_run_message,
  };
  const outcome = { job: jobName, active: job.active, last_run: lastRun };
  if (!job.active) return { ok: false, ...outcome, message: `pg_cron job ${jobName} is inactive` };
  if (job.last_run_status === "failed") {
    return { ok: false, ...outcome, message: `the last run of ${jobName} failed` };
  }
  const silentFor = job.seconds_since_last_run ?? job.seconds_since_database_start;
  if (silentFor > silenceLimitS) {
    return {
      ok: false,
      ...outcome,
      message: `${jobName} has not run for ${Math.round(silentFor)} s (limit ${silenceLimitS} s)`,
    };
  }
  return { ok: true, ...outcome };
}

export function cronJobCheck(sql: Sql, jobName: string = SWEEP_JOB_NAME): HealthCheck {
  return async () => {
    const [job] = await sql<CronJobState[]>`
      select job.active, last_run.status as last_run_status,
             last_run.start_time as last_run_started_at,
             last_run.return_message as last_run_message,
             extract(epoch from now() - last_run.start_time)::float8 as seconds_since_last_run,
             extract(epoch from now() - pg_postmaster_start_time())::float8
               as seconds_since_database_start
        from cron.job as job
        left join lateral (
          select run.status, run.start_time, run.return_message
            from cron.job_run_details as run
           where run.jobid = job.jobid
           order by run.start_time desc nulls last
           limit 1
        ) as last_run on true
       where job.jobname = ${jobName}`;
    return judgeCronJob(jobName, job, await healthSetting(sql, "sweepSilenceLimitS"));
  };
}

export interface NovuCheckConfig {
  /** Novu's API base, e.g. `https://api.novu.co` or the local emulator. */
  apiUrl: string;
  /** The secret key the dispatcher triggers with. */
  secretKey: string;
  fetch: typeof fetch;
}

/** What a failed call to `url` says: its status, or why it got none. */
async function probe(
  url: string,
  init: RequestInit,
  fetcher: typeof fetch,
): Promise<{ status: number; body: string } | { unreachable: string }> {
  try {
    const response = await fetcher(url, init);
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { unreachable: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Novu is up (`GET /v1/health-check`, unauthenticated) and accepts XNovu's secret key
 * (`GET /v1/environments/me`, the current environment, answered 401 for an unknown or revoked
 * key: https://docs.novu.co/api-reference/environments).
 */
export function novuCheck(config: NovuCheckConfig): HealthCheck {
  const base = config.apiUrl.replace(/\/+$/, "");
  return async (signal) => {
    const liveness = await probe(`${base}/v1/health-check`, { signal }, config.fetch);
    if ("unreachable" in liveness) {
      return { ok: false, message: `${base}/v1/health-check unreachable: ${liveness.unreachable}` };
    }
    if (liveness.status < 200 || liveness.status > 299) {
      return {
        ok: false,
        http_status: liveness.status,
        message: `${base}/v1/health-check answered ${liveness.status}`,
      };
    }
    const environment = await probe(
      `${base}/v1/environments/me`,
      { signal, headers: { authorization: `ApiKey ${config.secretKey}` } },
      config.fetch,
    );
    if ("unreachable" in environment) {
      return {
        ok: false,
        message: `${base}/v1/environments/me unreachable: ${environment.unreachable}`,
      };
    }
    if (environment.status === 401 || environment.status === 403) {
      return {
        ok: false,
        http_status: environment.status,
        message: `Novu rejected the API key (NOVU_SECRET_KEY): ${environment.status}`,
      };
    }
    if (environment.status < 200 || environment.status > 299) {
      return {
        ok: false,
        http_status: environment.status,
        message: `${base}/v1/environments/me answered ${environment.status}`,
      };
    }
    return { ok: true, http_status: liveness.status };
  };
}

export interface BridgeCheckConfig {
  /** The novu-bridge function's public URL, the one Novu Cloud discovers. */
  bridgeUrl: string;
  secretKey: string;
  fetch: typeof fetch;
  now: () => number;
}

/**
 * The bridge answers a signed `discover`, as Novu Cloud sends it on sync (a GET whose signature
 * covers `{}`; see shared/novu/signature.ts), with a list of workflows.
 */
export function bridgeCheck(config: BridgeCheckConfig): HealthCheck {
  return async (signal) => {
    const url = new URL(config.bridgeUrl);
    url.searchParams.set("action", "discover");
    const answer = await probe(url.href, {
      signal,
      headers: {
        [NOVU_SIGNATURE_HEADER]: await signNovuRequest(config.secretKey, "{}", config.now()),
      },
    }, config.fetch);
    if ("unreachable" in answer) {
      return { ok: false, message: `${url.href} unreachable: ${answer.unreachable}` };
    }
    if (answer.status < 200 || answer.status > 299) {
      return {
        ok: false,
        http_status: answer.status,
        message: `discover answered ${answer.status}: ${answer.body.slice(0, 300)}`,
      };
    }
    let workflows: unknown;
    try {
      workflows = (JSON.parse(answer.body) as { workflows?: unknown }).workflows;
    } catch {
      workflows = undefined;
    }
    if (!Array.isArray(workflows)) {
      return { ok: false, message: "discover answered without a workflows array" };
    }
    return { ok: true, workflows: workflows.length };
  };
}
