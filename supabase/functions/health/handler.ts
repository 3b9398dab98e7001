import { errorResponse, jsonResponse } from "../../../shared/http/errors.ts";

/** One part's answer: `ok` decides 200 or 503; the other fields are reported as they are. */
export interface CheckOutcome {
  ok: boolean;
  message?: string;
  [detail: string]: unknown;
}

export type HealthCheck = (signal: AbortSignal) => Promise<CheckOutcome>;

export interface HealthHandlerDependencies {
  /** Named parts, run concurrently; the names appear in `checks` and `failing`. */
  checks: Record<string, HealthCheck>;
  /** A part that has not answered by then is failing, so the probe itself answers promptly. */
  timeoutMs: number;
  /**
   * Whether the caller may read each part's details and error text (the service role); others
   * get the overall state and the part names with their status only.
   */
  mayReadDetails: (request: Request) => Promise<boolean>;
  logError: (message: string, error: unknown) => void;
}

type ReportedCheck = Omit<CheckOutcome, "ok"> & { status: "ok" | "failing" };

async function runCheck(
  name: string,
  check: HealthCheck,
  { timeoutMs, logError }: HealthHandlerDependencies,
): Promise<ReportedCheck> {
  const controller = new AbortController();
  let timer: number | undefined;
  const deadline = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, message: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
  });
  try {
    const { ok, ...details } = await Promise.race([check(controller.signal), deadline]);
    return { status: ok ? "ok" : "failing", ...details };
  } catch (error) {
    logError(`health check ${name} failed`, error);
    return { status: "failing", message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /functions/v1/health`: 200 `{ status: 'ok', checks }` when every part answers ok, else
 * 503 with the error shape plus `status: 'degraded'`, the `failing` part names and `checks`.
 * Unauthenticated (`verify_jwt = false`) for load balancers and uptime probes, which see each
 * part's status only; details and error text (hostnames, SQL errors) need the service role key.
 */
export function createHealthHandler(
  dependencies: HealthHandlerDependencies,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== "GET") {
      return errorResponse(405, "METHOD_NOT_ALLOWED", "use GET");
    }
    const names = Object.keys(dependencies.checks);
    const reports = await Promise.all(
      names.map((name) => runCheck(name, dependencies.checks[name], dependencies)),
    );
    const revealed = await dependencies.mayReadDetails(request);
    const checks = Object.fromEntries(
      names.map((
        name,
        index,
      ) => [name, revealed ? reports[index] : { status: reports[index].status }]),
    );
    const failing = names.filter((name) => checks[name].status !== "ok");
    if (failing.length === 0) return jsonResponse(200, { status: "ok", checks });
    return errorResponse(503, "DEGRADED", `failing: ${failing.join(", ")}`, {
      status: "degraded",
      failing,
      checks,
    });
  };
}
