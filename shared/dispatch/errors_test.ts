import assert from "node:assert/strict";
import { Novu } from "@novu/api";
import { classifyNovuError, errorDetails, parseRetryAfterMs, trimBody } from "./errors.ts";

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
