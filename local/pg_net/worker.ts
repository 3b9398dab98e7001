/**
 * The pg_net stand-in's worker: what pg_net's background worker does, as a process the
 * local platform starts. It takes committed rows from `net.http_request_queue` (removing
 * them as pg_net does: at most once, never retried), sends them concurrently with each
 * request's timeout, and writes one `net._http_response` row per request.
 *
 * It wakes on the `pg_net_stand_in_wake` notification (sent at commit by the net.http_*
 * functions) and also polls, so requests committed while it was down are sent when it
 * comes back.
 */
import postgres from "postgres";

export type QueuedRequest = {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string> | null;
  body: Uint8Array<ArrayBuffer> | null;
  timeout_milliseconds: number;
};

export type HttpResponseRow = {
  id: string;
  status_code: number | null;
  content_type: string | null;
  headers: Record<string, string> | null;
  content: string | null;
  timed_out: boolean;
  error_msg: string | null;
};

/** Sends one queued request; never throws: failures become the row's error_msg. */
export async function sendQueuedRequest(
  request: QueuedRequest,
  fetchFn: typeof fetch,
): Promise<HttpResponseRow> {
  const signal = AbortSignal.timeout(request.timeout_milliseconds);
  try {
    const response = await fetchFn(request.url, {
      method: request.method.toUpperCase(),
      headers: request.headers ?? {},
      body: request.body ?? undefined,
      signal,
    });
    const content = await response.text();
    return {
      id: request.id,
      status_code: response.status,
      content_type: response.headers.get("content-type"),
      headers: Object.fromEntries(response.headers.entries()),
      content,
      timed_out: false,
      error_msg: null,
    };
  } catch (error) {
    const timedOut = signal.aborted;
    return {
      id: request.id,
      status_code: null,
      content_type: null,
      headers: null,
      content: null,
      timed_out: timedOut,
      error_msg: timedOut
        ? `Timeout of ${request.timeout_milliseconds} ms reached`
        : error instanceof Error
        ? error.message
        : String(error),
    };
  }
}

export type WorkerOptions = {
  databaseUrl: string;
  maxConcurrent?: number;
  pollIntervalMs?: number;
  responseTtlHours?: number;
  fetchFn?: typeof fetch;
};

export function startWorker(options: WorkerOptions) {
  const maxConcurrent = options.maxConcurrent ?? 64;
  const fetchFn = options.fetchFn ?? fetch;
  const sql = postgres(options.databaseUrl, { prepare: false, max: 4, onnotice: () => {} });
  let inFlight = 0;
  let draining = false;
  let drainAgain = false;
  let stopped = false;

  async function finish(request: QueuedRequest) {
    const row = await sendQueuedRequest(request, fetchFn);
    await sql`
      insert into net._http_response
        (id, status_code, content_type, headers, content, timed_out, error_msg)
      values (${row.id}, ${row.status_code}, ${row.content_type}, ${
      row.headers === null ? null : sql.json(row.headers)
    }, ${row.content}, ${row.timed_out}, ${row.error_msg})`;
  }

  async function drain() {
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    try {
      do {
        drainAgain = false;
        while (!stopped && inFlight < maxConcurrent) {
          const batch = await sql<QueuedRequest[]>`
            delete from net.http_request_queue
            where id in (
              select id from net.http_request_queue
              order by id
              limit ${maxConcurrent - inFlight}
              for update skip locked
            )
            returning id, method, url, headers, body, timeout_milliseconds`;
          if (batch.length === 0) break;
          for (const request of batch) {
            inFlight++;
            finish(request)
              .catch((error) => console.error(`pg_net worker: request ${request.id}:`, error))
              .finally(() => {
                inFlight--;
                drainSafely();
              });
          }
        }
      } while (drainAgain && !stopped);
    } finally {
      draining = false;
    }
  }

  // While the database is away (a restart), a drain fails; the next poll tries again.
  const drainSafely = () => {
    drain().catch((error) => console.error("pg_net worker: drain failed:", String(error)));
  };
  const listening = sql.listen("pg_net_stand_in_wake", drainSafely, drainSafely);
  const poll = setInterval(drainSafely, options.pollIntervalMs ?? 1000);
  const ttlHours = options.responseTtlHours ?? 6;
  const sweep = setInterval(() => {
    sql`delete from net._http_response where created < now() - make_interval(hours => ${ttlHours})`
      .catch((error) => console.error("pg_net worker: response sweep:", error));
  }, 60_000);

  return {
    ready: listening,
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(sweep);
      await sql.end({ timeout: 5 });
    },
  };
}

if (import.meta.main) {
  // pg_net's worker survives a database restart; so must this one. A socket error the
  // driver leaves uncaught while the server goes away is logged, and polling carries on
  // over a fresh connection.
  globalThis.addEventListener("error", (event) => {
    console.error("pg_net worker: uncaught error:", event.error);
    event.preventDefault();
  });
  globalThis.addEventListener("unhandledrejection", (event) => {
    console.error("pg_net worker: unhandled rejection:", event.reason);
    event.preventDefault();
  });
  const databaseUrl = Deno.env.get("DATABASE_URL");
  if (!databaseUrl) throw new Error("DATABASE_URL is required");
  const worker = startWorker({ databaseUrl });
  await worker.ready;
  console.log("pg_net stand-in worker listening");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => worker.stop().finally(() => Deno.exit(0)));
  }
}
