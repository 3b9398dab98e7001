/**
 * Why a notification could not be sent, and whether trying again can help. `error_details`
 * of a FAILED (or retried) notification is `DispatchFailure` minus `retryable`, plus the
 * attempt count. These texts go to the database only, never into a payload.
 */
export type FailureKind =
  | "payload_invalid"
  | "workflow_unavailable"
  | "template_error"
  | "no_recipients"
  | "no_channels"
  | "novu_rejected"
  | "novu_unavailable"
  | "novu_rate_limited"
  | "novu_timeout"
  | "network_error"
  | "internal_error"
  /** The workflow's latest change has not been synced to Novu yet: a wait, not an attempt. */
  | "awaiting_novu_sync"
  /**
   * Novu answered `workflow_not_found`: the dispatcher asks for a re-sync and the notification
   * waits for it (`awaiting_novu_sync`); retried as a failed attempt only when no re-sync can be
   * asked for (the workflow row is gone).
   */
  | "novu_workflow_not_found"
  /** Waited for a Novu sync longer than `novu_sync_wait_limit_ms`: not tried again. */
  | "workflow_not_synced"
  /** Processing died (crash, worker limit) on every attempt: not tried again. */
  | "poison";

export interface DispatchFailure {
  kind: FailureKind;
  retryable: boolean;
  message: string;
  upstreamStatus: number | null;
  upstreamBody: string | null;
  /** From a 429's `Retry-After`: the earliest the next attempt may run. */
  retryAfterMs?: number;
  /** A wait for a Novu sync: when this notification began waiting (ISO), kept across waits. */
  waitingSince?: string;
}

// A type alias, not an interface, so it is assignable to the SQL driver's JSON value type.
export type ErrorDetails = {
  kind: FailureKind;
  message: string;
  attempts: number;
  upstream_status: number | null;
  upstream_body: string | null;
  /** Only while waiting for a Novu sync (and when that wait ran out): see `novuSyncHoldFailure`. */
  waiting_since?: string;
};

export const UPSTREAM_BODY_LIMIT = 2_048;

export function trimBody(body: string, limit = UPSTREAM_BODY_LIMIT): string {
  return body.length <= limit ? body : `${body.slice(0, limit)}…`;
}

export function permanentFailure(kind: FailureKind, message: string): DispatchFailure {
  return { kind, retryable: false, message, upstreamStatus: null, upstreamBody: null };
}

/** How soon a notification held for a Novu sync looks again (debounce plus one sync). */
export const NOVU_SYNC_WAIT_MS = 2_000;

/**
 * A claimed notification held for a Novu sync or re-synced before
 * (`notify_internal.novu_sync_states`).
 */
export interface NovuSyncState {
  workflowId: number;
  workflowKey: string;
  /** The workflow awaits a Novu sync: the notification waits (`novuSyncHoldFailure`). */
  held: boolean;
  /** When this notification began waiting (ISO): its previous wait's, else the hold's time. */
  waitingSince: string;
  /** It has waited `waitLimitMs` or longer: it fails instead of waiting again. */
  overdue: boolean;
  /** The setting `novu_sync_wait_limit_ms`. */
  waitLimitMs: number;
  /** The error of the last finished sync, if it failed. */
  lastSyncError: string | null;
  /**
   * How many times Novu answered `workflow_not_found` for it (the Idempotency-Key's `-r<n>`,
   * `novuIdempotencyKeys` in shared/novu/transaction-id.ts).
   */
  resyncs: number;
}

/**
 * Re-syncs a notification gets for Novu's `workflow_not_found`. Past this, the syncs succeed
 * but Novu still does not know the workflow (the bridge does not serve it, or Novu syncs
 * another bridge), so waiting longer cannot help; and each re-sync adds one Idempotency-Key
 * every event of the notification tries (`novuIdempotencyKeys`), so the limit also bounds
 * those calls to 1 + this per event.
 */
export const NOVU_RESYNC_LIMIT = 3;

/**
 * Novu Cloud runs only synced workflows: a notification whose workflow awaits a sync waits
 * for it (issue 10), at no attempt's cost, up to the wait limit; then it FAILs naming the
 * workflow. `cause`: Novu's `workflow_not_found` answer that made the dispatcher ask for the
 * re-sync (its HTTP answer stays in the details); past `NOVU_RESYNC_LIMIT` re-syncs it FAILs
 * at once.
 */
export function novuSyncHoldFailure(
  hold: NovuSyncState,
  cause?: DispatchFailure,
): DispatchFailure {
  const upstream = {
    upstreamStatus: cause?.upstreamStatus ?? null,
    upstreamBody: cause?.upstreamBody ?? null,
    waitingSince: hold.waitingSince,
  };
  const why = cause
    ? `Novu answered workflow_not_found for workflow ${hold.workflowKey}; XNovu asked for a ` +
      "re-sync"
    : `workflow ${hold.workflowKey} changed and Novu has not been synced since`;
  if (cause && hold.resyncs > NOVU_RESYNC_LIMIT) {
    return {
      ...upstream,
      kind: "workflow_not_synced",
      retryable: false,
      message: `Novu answered workflow_not_found for workflow ${hold.workflowKey} after ` +
        `${NOVU_RESYNC_LIMIT} re-syncs: Novu's sync does not bring it (does the bridge serve ` +
        "it, and is NOVU_BRIDGE_URL this project's novu-bridge?)",
    };
  }
  if (hold.overdue) {
    return {
      ...upstream,
      kind: "workflow_not_synced",
      retryable: false,
      message: `${why}; waited for the Novu sync of workflow ${hold.workflowKey} since ` +
        `${hold.waitingSince}, the limit (novu_sync_wait_limit_ms) is ${hold.waitLimitMs} ms` +
        (hold.lastSyncError === null ? "" : `; the last sync failed: ${hold.lastSyncError}`),
    };
  }
  return {
    ...upstream,
    kind: "awaiting_novu_sync",
    retryable: true,
    message: `${why}; waiting for the sync`,
    retryAfterMs: NOVU_SYNC_WAIT_MS,
  };
}

/**
 * Failures that are a wait rather than a failed attempt: Novu asking to slow down (429) and a
 * workflow Novu has not been synced yet. The notification waits and the attempt is given back.
 */
export function isWait(failure: DispatchFailure): boolean {
  return failure.kind === "novu_rate_limited" || failure.kind === "awaiting_novu_sync";
}

export function errorDetails(failure: DispatchFailure, attempts: number): ErrorDetails {
  return {
    kind: failure.kind,
    message: failure.message,
    attempts,
    upstream_status: failure.upstreamStatus,
    upstream_body: failure.upstreamBody,
    ...(failure.waitingSince === undefined ? {} : { waiting_since: failure.waitingSince }),
  };
}

/**
 * Novu's answer to a trigger of a workflow it does not know: `UnprocessableEntityException(
 * 'workflow_not_found')`, a 422 whose body's `message` is `workflow_not_found` (novuhq/novu
 * apps/api `events/usecases/parse-event-request/parse-event-request.usecase.ts`).
 */
function isWorkflowNotFound(status: number, body: string | null): boolean {
  if (status !== 422 || body === null) return false;
  try {
    return (JSON.parse(body) as { message?: unknown })?.message === "workflow_not_found";
  } catch {
    return false;
  }
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * The parts of the `@novu/api` errors the classification reads: `NovuError` subclasses carry
 * the HTTP answer; `ConnectionError`, `RequestTimeoutError`, `RequestAbortedError` have only
 * a name.
 */
interface ErrorShape {
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  body?: unknown;
  headers?: unknown;
  /** `SDKValidationError`: which check failed ("Input validation failed", "Response ..."). */
  rawMessage?: unknown;
}

/**
 * What `@novu/api` names a trigger refused by its own copy of Novu's API schema before any
 * request is made (src/funcs/trigger.ts: `safeParse(..., "Input validation failed")`), e.g.
 * `overrides.email` not an object. The same input fails the same way on every attempt. A
 * response that fails validation ("Response validation failed") may follow a trigger that
 * took effect, so that one stays retryable.
 */
const SDK_INPUT_REFUSED = "Input validation failed";

const TIMEOUT_ERROR_NAMES = new Set(["RequestTimeoutError", "TimeoutError", "AbortError"]);
const NETWORK_ERROR_NAMES = new Set([
  "ConnectionError",
  "RequestAbortedError",
  "UnexpectedClientError",
  "TypeError",
]);

/**
 * Network errors, timeouts, 408, 409, 429 and 5xx are transient; any other 4xx means Novu
 * refused this request and will refuse it again.
 */
export function classifyNovuError(error: unknown, nowMs: number): DispatchFailure {
  const shape = (typeof error === "object" && error !== null ? error : {}) as ErrorShape;
  const name = typeof shape.name === "string" ? shape.name : "";
  const message = typeof shape.message === "string" ? shape.message : String(error);
  if (typeof shape.statusCode === "number") {
    const status = shape.statusCode;
    const body = typeof shape.body === "string" ? trimBody(shape.body) : null;
    const headers = shape.headers instanceof Headers ? shape.headers : null;
    const base = { upstreamStatus: status, upstreamBody: body };
    if (status === 429) {
      return {
        ...base,
        kind: "novu_rate_limited",
        retryable: true,
        message: `Novu rate limited the trigger (${status})`,
        retryAfterMs: parseRetryAfterMs(headers?.get("retry-after") ?? null, nowMs),
      };
    }
    if (status === 408 || status === 504) {
      return {
        ...base,
        kind: "novu_timeout",
        retryable: true,
        message: `Novu timed out (${status})`,
      };
    }
    if (isWorkflowNotFound(status, body)) {
      return {
        ...base,
        kind: "novu_workflow_not_found",
        retryable: true,
        message: "Novu does not know the workflow (workflow_not_found)",
      };
    }
    if (status >= 500 || status === 409) {
      return {
        ...base,
        kind: "novu_unavailable",
        retryable: true,
        message: `Novu answered ${status}`,
      };
    }
    return {
      ...base,
      kind: "novu_rejected",
      retryable: false,
      message: `Novu refused the trigger (${status})`,
    };
  }
  if (name === "SDKValidationError" && shape.rawMessage === SDK_INPUT_REFUSED) {
    return permanentFailure(
      "novu_rejected",
      trimBody(`Novu's API schema refuses the trigger: ${message}`),
    );
  }
  if (TIMEOUT_ERROR_NAMES.has(name)) {
    return {
      kind: "novu_timeout",
      retryable: true,
      message,
      upstreamStatus: null,
      upstreamBody: null,
    };
  }
  if (NETWORK_ERROR_NAMES.has(name)) {
    return {
      kind: "network_error",
      retryable: true,
      message,
      upstreamStatus: null,
      upstreamBody: null,
    };
  }
  // Anything unforeseen (a bug, a malformed answer) is retried: the attempt limit still ends it.
  return {
    kind: "internal_error",
    retryable: true,
    message,
    upstreamStatus: null,
    upstreamBody: null,
  };
}
