import type { Sql } from "../../../shared/db/client.ts";
import type { CheckOutcome, HealthCheck } from "./handler.ts";

export const DISPATCH_QUEUE = "notification_dispatch";
/** The pg_cron safety-net sweep the dispatcher's migration schedules. */
export const SWEEP_JOB_NAME = "xnovu-dispatch-sweep";

export function databaseCheck(sql: Sql): HealthCheck {
  return async () => {
    await sql`select 1`;
    return { ok: true };
  };
}

/**
 * Depth and oldest message age are reported, not judged: scheduled notifications wait in the
 * queue as delayed messages, so an old message is not by itself a stuck queue.
 */
export function queueCheck(sql: Sql, queueName: string = DISPATCH_QUEUE): HealthCheck {
  return async () => {
    const [metrics] = await sql<{ queue_length: number; oldest_msg_age_sec: number | null }[]>`
      select queue_length::integer as queue_length, oldest_msg_age_sec
        from pgmq.metrics(queue_name => ${queueName})`;
    return { ok: true, ...metrics };
  };
}

export interface CronJobState {
  active: boolean;
  last_run_status: string | null;
  last_run_started_at: Date | null;
  last_run_message: string | null;
}

/** The sweep must exist, be active, and its last run (if any) must not have failed. */
export function judgeCronJob(jobName: string, job: CronJobState | undefined): CheckOutcome {
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
  return { ok: true, ...outcome };
}

export function cronJobCheck(sql: Sql, jobName: string = SWEEP_JOB_NAME): HealthCheck {
  return async () => {
    const [job] = await sql<CronJobState[]>`
      select job.active, last_run.status as last_run_status,
             last_run.start_time as last_run_started_at,
             last_run.return_message as last_run_message
        from cron.job as job
        left join lateral (
          select run.status, run.start_time, run.return_message
            from cron.job_run_details as run
           where run.jobid = job.jobid
           order by run.start_time desc nulls last
           limit 1
        ) as last_run on true
       where job.jobname = ${jobName}`;
    return judgeCronJob(jobName, job);
  };
}

export interface NovuCheckConfig {
  /** Novu's API base, e.g. `https://api.novu.co` or the local emulator. */
  apiUrl: string;
  fetch: typeof fetch;
}

/** Novu Cloud's unauthenticated liveness probe, `GET /v1/health-check`. */
export function novuCheck(config: NovuCheckConfig): HealthCheck {
  return async (signal) => {
    const url = `${config.apiUrl.replace(/\/+$/, "")}/v1/health-check`;
    try {
      const response = await config.fetch(url, { signal });
      await response.body?.cancel();
      return response.ok ? { ok: true, http_status: response.status } : {
        ok: false,
        http_status: response.status,
        message: `${url} answered ${response.status}`,
      };
    } catch (error) {
      return {
        ok: false,
        message: `${url} unreachable: ${error instanceof Error ? error.message : error}`,
      };
    }
  };
}
