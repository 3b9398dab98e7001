import assert from "node:assert/strict";
import { Novu } from "@novu/api";
import {
  classifyNovuError,
  errorDetails,
  novuSyncHoldFailure,
  type NovuSyncState,
  parseRetryAfterMs,
  trimBody,
} from "./errors.ts";

const NOW = Date.parse("2026-11-22T10:00:00Z");

function httpError(statusCode: number, body = "{}", headers: Record<string, string> = {}) {
  return Object.assign(new Error(`API error occurred: Status ${statusCode}`), {
    name: "ErrorDto",
    statusCode,
    body,
    headers: new Headers(headers),
  });
}

Deno.test("classification table of Novu answers", () => {
  const table: Array<[number, string, boolean]> = [
    [400, "novu_rejected", false],
    [401, "novu_rejected", false],
    [404, "novu_rejected", false],
    [408, "novu_timeout", true],
    [409, "novu_unavailable", true],
    [422, "novu_rejected", false],
    [429, "novu_rate_limited", true],
    [500, "novu_unavailable", true],
    [502, "novu_unavailable", true],
    [503, "novu_unavailable", true],
    [504, "novu_timeout", true],
  ];
  for (const [status, kind, retryable] of table) {
    const failure = classifyNovuError(httpError(status, `{"statusCode":${status}}`), NOW);
    assert.deepEqual(
      [failure.kind, failure.retryable, failure.upstreamStatus, failure.upstreamBody],
      [kind, retryable, status, `{"statusCode":${status}}`],
      `status ${status}`,
    );
  }
});

Deno.test("SDK connection errors and timeouts are transient", () => {
  const connection = Object.assign(new Error("Unable to make request"), {
    name: "ConnectionError",
  });
  const timeout = Object.assign(new Error("Request timed out"), { name: "RequestTimeoutError" });
  assert.deepEqual(
    [classifyNovuError(connection, NOW).kind, classifyNovuError(connection, NOW).retryable],
    ["network_error", true],
  );
  assert.deepEqual(
    [classifyNovuError(timeout, NOW).kind, classifyNovuError(timeout, NOW).retryable],
    ["novu_timeout", true],
  );
});

Deno.test("a 429 carries Retry-After in seconds or as a date", () => {
  assert.equal(
    classifyNovuError(httpError(429, "{}", { "retry-after": "3" }), NOW).retryAfterMs,
    3_000,
  );
  assert.equal(parseRetryAfterMs("Sun, 22 Nov 2026 10:00:05 GMT", NOW), 5_000);
  assert.equal(parseRetryAfterMs(null, NOW), undefined);
  assert.equal(parseRetryAfterMs("soon", NOW), undefined);
});

Deno.test("upstream bodies are trimmed to 2 kB", () => {
  const failure = classifyNovuError(httpError(500, "x".repeat(5_000)), NOW);
  assert.equal(failure.upstreamBody, "x".repeat(2_048) + "…");
  assert.equal(trimBody("short"), "short");
});

Deno.test("error details name kind, message, attempts and the upstream answer", () => {
  assert.deepEqual(errorDetails(classifyNovuError(httpError(503, "down"), NOW), 5), {
    kind: "novu_unavailable",
    message: "Novu answered 503",
    attempts: 5,
    upstream_status: 503,
    upstream_body: "down",
  });
});

Deno.test("a trigger the SDK refuses before any call (overrides.email not an object) is not retried", async () => {
  // Port 9 (discard) is never reached: the SDK checks the input first.
  const novu = new Novu({ secretKey: "unused", serverURL: "http://127.0.0.1:9" });
  const error = await novu.trigger({
    workflowId: "default-email",
    to: "subscriber-1",
    overrides: { email: "x" } as unknown as Record<string, never>,
  }).then(() => null, (error) => error);
  assert.ok(error instanceof Error, "the SDK refused the input");
  const failure = classifyNovuError(error, NOW);
  assert.deepEqual([failure.kind, failure.retryable, failure.upstreamStatus], [
    "novu_rejected",
    false,
    null,
  ]);
  assert.match(failure.message, /^Novu's API schema refuses the trigger: Input validation failed/);
  assert.match(failure.message, /email/);
});

Deno.test("a Novu answer the SDK cannot read stays retryable: the trigger may have taken effect", () => {
  const unreadable = Object.assign(new Error("Response validation failed: ..."), {
    name: "SDKValidationError",
    rawMessage: "Response validation failed",
  });
  const failure = classifyNovuError(unreadable, NOW);
  assert.deepEqual([failure.kind, failure.retryable], ["internal_error", true]);
});

/** Novu's answer to a trigger of a workflow it does not know (the emulator's copy of it). */
const WORKFLOW_NOT_FOUND = JSON.stringify({
  statusCode: 422,
  timestamp: "2026-11-22T10:00:00.000Z",
  path: "/v1/events/trigger",
  message: "workflow_not_found",
  error: "Unprocessable Entity",
});

Deno.test("Novu's 422 workflow_not_found is told apart from other 422s: a re-sync can cure it", () => {
  const notFound = classifyNovuError(httpError(422, WORKFLOW_NOT_FOUND), NOW);
  assert.deepEqual(
    [notFound.kind, notFound.retryable, notFound.upstreamStatus, notFound.upstreamBody],
    ["novu_workflow_not_found", true, 422, WORKFLOW_NOT_FOUND],
  );
  const validation = JSON.stringify({ statusCode: 422, message: "Validation Error" });
  assert.equal(classifyNovuError(httpError(422, validation), NOW).kind, "novu_rejected");
  assert.equal(classifyNovuError(httpError(422, "not json"), NOW).kind, "novu_rejected");
  const notFoundElsewhere = JSON.stringify({ statusCode: 404, message: "workflow_not_found" });
  assert.equal(classifyNovuError(httpError(404, notFoundElsewhere), NOW).kind, "novu_rejected");
});

const HOLD: NovuSyncState = {
  workflowId: 7,
  workflowKey: "acme-maintenance",
  held: true,
  waitingSince: "2026-11-22T09:50:00+00:00",
  overdue: false,
  waitLimitMs: 600_000,
  lastSyncError: null,
  resyncs: 0,
};

Deno.test("a notification held for a Novu sync waits, its waiting_since in the details", () => {
  const failure = novuSyncHoldFailure(HOLD);
  assert.deepEqual([failure.kind, failure.retryable, failure.retryAfterMs], [
    "awaiting_novu_sync",
    true,
    2_000,
  ]);
  assert.deepEqual(errorDetails(failure, 2), {
    kind: "awaiting_novu_sync",
    message: "workflow acme-maintenance changed and Novu has not been synced since; waiting " +
      "for the sync",
    attempts: 2,
    upstream_status: null,
    upstream_body: null,
    waiting_since: "2026-11-22T09:50:00+00:00",
  });
});

Deno.test("a notification that waited the limit out FAILs naming the workflow, the limit and the last sync's error", () => {
  const failure = novuSyncHoldFailure({
    ...HOLD,
    overdue: true,
    lastSyncError: "Novu refused the sync (500): down",
  });
  assert.deepEqual([failure.kind, failure.retryable], ["workflow_not_synced", false]);
  assert.equal(
    failure.message,
    "workflow acme-maintenance changed and Novu has not been synced since; waited for the " +
      "Novu sync of workflow acme-maintenance since 2026-11-22T09:50:00+00:00, the limit " +
      "(novu_sync_wait_limit_ms) is 600000 ms; the last sync failed: Novu refused the sync " +
      "(500): down",
  );
  assert.equal(errorDetails(failure, 1).waiting_since, HOLD.waitingSince);
});

Deno.test("a hold after Novu's workflow_not_found keeps Novu's answer and says a re-sync was asked for", () => {
  const cause = classifyNovuError(httpError(422, WORKFLOW_NOT_FOUND), NOW);
  const waiting = novuSyncHoldFailure(HOLD, cause);
  assert.equal(waiting.kind, "awaiting_novu_sync");
  assert.match(
    waiting.message,
    /^Novu answered workflow_not_found for workflow acme-maintenance; XNovu asked for a re-sync; waiting/,
  );
  assert.deepEqual([waiting.upstreamStatus, waiting.upstreamBody], [422, WORKFLOW_NOT_FOUND]);
  const overdue = novuSyncHoldFailure({ ...HOLD, overdue: true }, cause);
  assert.equal(overdue.kind, "workflow_not_synced");
  assert.equal(overdue.upstreamBody, WORKFLOW_NOT_FOUND);
});

Deno.test("Novu answering workflow_not_found after every allowed re-sync FAILs at once: the syncs do not bring the workflow", () => {
  const cause = classifyNovuError(httpError(422, WORKFLOW_NOT_FOUND), NOW);
  assert.equal(novuSyncHoldFailure({ ...HOLD, resyncs: 3 }, cause).kind, "awaiting_novu_sync");
  const given = novuSyncHoldFailure({ ...HOLD, resyncs: 4 }, cause);
  assert.deepEqual([given.kind, given.retryable], ["workflow_not_synced", false]);
  assert.match(given.message, /workflow_not_found for workflow acme-maintenance after 3 re-syncs/);
  assert.equal(given.upstreamBody, WORKFLOW_NOT_FOUND);
  // A plain hold (no new answer from Novu) is bounded by the wait limit only.
  assert.equal(novuSyncHoldFailure({ ...HOLD, resyncs: 9 }).kind, "awaiting_novu_sync");
});
