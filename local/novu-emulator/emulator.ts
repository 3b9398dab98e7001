/**
 * A small stand-in for Novu Cloud: the sync that `npx novu sync` calls (`/v1/bridge/sync`: the
 * bridge is discovered, signed, and its workflows recorded; see workflow-registry.ts), the
 * `/v1/events` API the `@novu/api` SDK calls, which runs only synced workflows (execute each
 * synced step in order, signed), an HTML page and a JSON admin API showing what was rendered,
 * and fault injection for tests.
 *
 * `createEmulator` is pure apart from the injected `fetch`, `now` and `random`; `main.ts`
 * serves it.
 */
import { type BridgeClient, type BridgeExecuteEvent, createBridgeClient } from "./bridge-client.ts";
import {
  type EventFilter,
  type EventRecord,
  EventStore,
  type RecipientRecord,
  type StepRecord,
} from "./event-store.ts";
import { renderEventsPage } from "./page.ts";
import { createWebhookSender } from "./webhooks.ts";
import { WorkQueue } from "./work-queue.ts";
import { registryFile, syncedWorkflowEntity, WorkflowRegistry } from "./workflow-registry.ts";

export interface EmulatorOptions {
  /** The Novu secret key: the `ApiKey` clients must send and the bridge HMAC secret. */
  secretKey: string;
  fetch?: typeof fetch;
  /** Epoch milliseconds. */
  now?: () => number;
  /** Uniform [0, 1), used only by the rate-based faults. */
  random?: () => number;
  newTransactionId?: () => string;
  /** Bridge step executions in flight at once. */
  concurrency?: number;
  bridgeTimeoutMs?: number;
  bridgeRetries?: number;
  bridgeRetryDelayMs?: number;
  /** Events beyond this many (oldest first) lose payload and rendered outputs. */
  maxDetailedEvents?: number;
  /** Longest a `timeout` fault holds a response when the client does not hang up first. */
  timeoutHoldMs?: number;
  /** Novu's webhook endpoint (./webhooks.ts); without it no message webhook is sent. */
  webhookUrl?: string;
  /** The endpoint's signing secret (`whsec_...`), required with `webhookUrl`. */
  webhookSecret?: string;
  /** Delay before a failed webhook delivery is tried again (Svix: 5 s). */
  webhookRetryDelayMs?: number;
  /** JSON file keeping the synced workflows across restarts (workflow-registry.ts); else memory. */
  workflowsFile?: string;
}

/** Faults applied to `/v1/events/*` calls, replaced as a whole by `POST /_emulator/faults`. */
export interface Faults {
  /** Share of calls answered 500. */
  errorRate?: number;
  /** Share of calls accepted but answered only after the client gave up (or `timeoutHoldMs`). */
  timeoutRate?: number;
  /** Share of calls answered 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit?: { rate: number; retryAfterSeconds: number };
  /** Added before every call is handled. */
  latencyMs?: number;
  /** The next n calls are answered 500 (deterministic). */
  failNext?: number;
  /** The next n calls are answered 429 (deterministic), `Retry-After` from `rateLimit` or 1. */
  rateLimitNext?: number;
  /** The next n calls are accepted, then held like `timeoutRate` (deterministic). */
  timeoutNext?: number;
  /** The secret key was revoked: every authenticated call is answered 401, as for a wrong key. */
  apiKeyRevoked?: boolean;
  /** The next n `/v1/bridge/sync` calls are answered 500 (deterministic; not a trigger fault). */
  syncFailNext?: number;
  /**
   * Channel step types (`email`, `in_app`, `sms`, `chat`, `push`) whose provider refuses every
   * message: the step is rendered by the bridge, then fails, and `message.failed` is sent.
   */
  failChannels?: string[];
}

export interface Emulator {
  handle(request: Request): Promise<Response>;
  /** Resolves when no bridge work is queued or running (for tests and shutdown). */
  idle(): Promise<void>;
}

/** The one environment the emulator stands for. */
const EMULATED_ENVIRONMENT_ID = "000000000000000000000e1d";

/** Novu's limit on recipients per trigger and on events per bulk trigger. */
const MAX_RECIPIENTS = 100;
const MAX_BULK_EVENTS = 100;
const DEFAULT_LIST_LIMIT = 1000;
const PAGE_EVENT_LIMIT = 100;

type Json = Record<string, unknown>;

class ValidationFailure extends Error {
  constructor(readonly field: string, message: string, readonly value?: unknown) {
    super(message);
  }
}

/** An HTTP exception of Novu's API (its body: statusCode, timestamp, path, error, message). */
class NovuRefusal extends Error {
  constructor(readonly status: number, readonly error: string, message: string) {
    super(message);
  }
}

interface TriggerRequest {
  workflowId: string;
  subscribers: Array<Record<string, unknown> & { subscriberId: string }>;
  payload: Json;
  overrides?: Json;
  context?: Json;
  transactionId?: string;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseTriggerRequest(body: unknown, field = ""): TriggerRequest {
  if (!isObject(body)) throw new ValidationFailure(field || "body", "must be an object", body);
  const name = body.name;
  if (typeof name !== "string" || name.length === 0) {
    throw new ValidationFailure(`${field}name`, "name should not be empty", name);
  }
  const recipients = Array.isArray(body.to) ? body.to : [body.to];
  if (body.to === undefined || recipients.length === 0) {
    throw new ValidationFailure(`${field}to`, "to should not be empty", body.to);
  }
  if (recipients.length > MAX_RECIPIENTS) {
    throw new ValidationFailure(
      `${field}to`,
      `to must contain no more than ${MAX_RECIPIENTS} elements`,
      recipients.length,
    );
  }
  const subscribers = recipients.map((recipient) => {
    if (typeof recipient === "string" && recipient.length > 0) return { subscriberId: recipient };
    if (
      isObject(recipient) && typeof recipient.subscriberId === "string" &&
      recipient.subscriberId.length > 0
    ) {
      return recipient as Record<string, unknown> & { subscriberId: string };
    }
    // Topics are part of Novu's API but not of XNovu's; the emulator refuses them loudly.
    throw new ValidationFailure(
      `${field}to`,
      "each recipient must be a subscriberId or an object with a subscriberId",
      recipient as never,
    );
  });
  for (const optional of ["payload", "overrides", "context"] as const) {
    if (body[optional] !== undefined && !isObject(body[optional])) {
      throw new ValidationFailure(`${field}${optional}`, `${optional} must be an object`);
    }
  }
  if (body.transactionId !== undefined && typeof body.transactionId !== "string") {
    throw new ValidationFailure(`${field}transactionId`, "transactionId must be a string");
  }
  // Novu runs a trigger naming a `bridgeUrl` statelessly (discovered on the spot, for its
  // local studio); XNovu triggers synced workflows only, so the emulator refuses it loudly.
  if (body.bridgeUrl !== undefined) {
    throw new ValidationFailure(
      `${field}bridgeUrl`,
      "the emulator runs synced workflows only: triggers naming a bridgeUrl are not emulated",
    );
  }
  return {
    workflowId: name,
    subscribers,
    payload: (body.payload as Json | undefined) ?? {},
    overrides: body.overrides as Json | undefined,
    context: body.context as Json | undefined,
    transactionId: body.transactionId as string | undefined,
  };
}

/**
 * What Novu Cloud passes as an earlier step's `outputs` in `state` (its ExecuteBridgeJob
 * `mapOutput`): the step's *result*, which the framework validates against the step type's
 * result schema, not what the step rendered.
 */
function stepResult(
  step: StepRecord,
  event: EventRecord,
  now: number,
): Record<string, unknown> {
  switch (step.type) {
    case "in_app":
      return { seen: false, read: false, lastSeenDate: null, lastReadDate: null };
    case "delay":
      return { duration: now - event.acceptedAt };
    case "digest":
      return {
        events: [{
          id: event.transactionId,
          time: new Date(event.acceptedAt).toISOString(),
          payload: event.payload ?? {},
        }],
        eventCount: 1,
      };
    case "throttle":
      return { throttled: false };
    case "custom":
      return step.outputs ?? {};
    default:
      return {};
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

function jsonResponse(status: number, body: unknown, headers: HeadersInit = {}): Response {
  return Response.json(body, { status, headers });
}

export function createEmulator(options: EmulatorOptions): Emulator {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const newTransactionId = options.newTransactionId ?? (() => crypto.randomUUID());
  const timeoutHoldMs = options.timeoutHoldMs ?? 30_000;
  const store = new EventStore(options.maxDetailedEvents ?? 5_000);
  const queue = new WorkQueue(options.concurrency ?? 8);
  const bridge: BridgeClient = createBridgeClient({
    secretKey: options.secretKey,
    fetch: options.fetch ?? fetch,
    now,
    requestTimeoutMs: options.bridgeTimeoutMs ?? 3_000,
    retries: options.bridgeRetries ?? 2,
    retryDelayMs: options.bridgeRetryDelayMs ?? 250,
  });
  const webhooks = createWebhookSender({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    fetch: options.fetch ?? fetch,
    now,
    environmentId: "xnovu-emulator",
    retryDelayMs: options.webhookRetryDelayMs,
  });
  let faults: Faults = {};
  /** The synced workflows; a reset of the events or a restart keeps them, as Novu Cloud would. */
  const registry = new WorkflowRegistry(
    options.workflowsFile === undefined ? undefined : registryFile(options.workflowsFile),
  );
  /** Bumped by reset so work queued before it is dropped instead of touching new state. */
  let generation = 0;
  /** Subscribers as Novu would remember them across triggers (identify on trigger). */
  let knownSubscribers = new Map<string, Record<string, unknown>>();

  // ---- Novu-shaped errors (the SDK parses ErrorDto / ValidationErrorDto) ----

  function novuError(
    request: Request,
    status: number,
    error: string,
    message: string,
    headers: HeadersInit = {},
  ): Response {
    return jsonResponse(status, {
      statusCode: status,
      timestamp: new Date(now()).toISOString(),
      path: new URL(request.url).pathname,
      error,
      message,
    }, headers);
  }

  function validationError(request: Request, failure: ValidationFailure): Response {
    return jsonResponse(422, {
      statusCode: 422,
      timestamp: new Date(now()).toISOString(),
      path: new URL(request.url).pathname,
      error: "Unprocessable Entity",
      message: "Validation Error",
      errors: { [failure.field]: { messages: [failure.message], value: failure.value ?? null } },
    });
  }

  /** The admin API's error shape. */
  function adminError(status: number, error: string, message: string): Response {
    return jsonResponse(status, { error, message });
  }

  // ---- the bridge round trip ----

  function finishEvent(event: EventRecord): void {
    const steps = event.recipients.flatMap((recipient) => recipient.steps);
    if (steps.some((step) => step.status === "failed")) {
      event.status = "failed";
      event.reason ??= "a step failed on the bridge";
    } else if (steps.some((step) => step.status === "cancelled")) {
      event.status = "cancelled";
    } else {
      event.status = "completed";
    }
    event.completedAt = now();
  }

  async function runRecipient(
    event: EventRecord,
    recipient: RecipientRecord,
    subscriber: Record<string, unknown>,
    payload: Json,
  ): Promise<void> {
    const state: BridgeExecuteEvent["state"] = [];
    let earlierFailure: string | undefined;
    for (const step of recipient.steps) {
      if (event.cancelRequestedAt !== undefined) {
        step.status = "cancelled";
        step.reason = "the event was cancelled";
        continue;
      }
      if (earlierFailure) {
        step.status = "cancelled";
        step.reason = `earlier step ${earlierFailure} failed`;
        continue;
      }
      const result = await bridge.execute(event.bridgeUrl, {
        workflowId: event.workflowId,
        stepId: step.stepId,
      }, { payload, controls: {}, state, subscriber, context: event.context ?? {} });
      if (!result.ok) {
        step.status = "failed";
        step.error = { status: result.status, body: result.body };
        earlierFailure = step.stepId;
        continue;
      }
      step.status = result.body.options?.skip ? "skipped" : "executed";
      if (step.status === "executed" && webhooks.isChannelStep(step.type)) {
        const providerError = faults.failChannels?.includes(step.type)
          ? `Injected fault: the ${step.type} provider refused the message`
          : undefined;
        webhooks.messageFinished({
          transactionId: event.transactionId,
          workflowId: event.workflowId,
          subscriberId: recipient.subscriberId,
          stepId: step.stepId,
          stepType: step.type,
          error: providerError,
        });
        if (providerError) {
          step.status = "failed";
          step.error = { body: providerError };
          earlierFailure = step.stepId;
          continue;
        }
      }
      // A compacted event (a burst pushed it out of the detailed window) stays compact.
      if (step.status === "executed" && !event.compacted) step.outputs = result.body.outputs ?? {};
      state.push({
        stepId: step.stepId,
        outputs: stepResult({ ...step, outputs: result.body.outputs }, event, now()),
        state: { status: step.status === "skipped" ? "skipped" : "completed" },
      });
    }
  }

  /** Queues each recipient's run of the event's synced steps. */
  function runEvent(
    event: EventRecord,
    subscribers: TriggerRequest["subscribers"],
    payload: Json,
    startedIn: number,
  ): void {
    if (startedIn !== generation) return;
    if (event.cancelRequestedAt !== undefined) {
      event.status = "cancelled";
      event.reason = "cancelled before execution";
      event.completedAt = now();
      return;
    }
    event.status = "processing";
    let remaining = event.recipients.length;
    event.recipients.forEach((recipient, index) => {
      queue.push(async () => {
        if (startedIn !== generation) return;
        try {
          await runRecipient(event, recipient, subscribers[index], payload);
        } finally {
          remaining -= 1;
          if (remaining === 0) finishEvent(event);
        }
      });
    });
  }

  // ---- /v1/events ----

  /**
   * Novu's ParseEventRequest (apps/api `events/usecases/parse-event-request/
   * parse-event-request.usecase.ts`) on the synced workflows: an unknown workflow id throws
   * `UnprocessableEntityException('workflow_not_found')` (422); an inactive workflow answers
   * 201 `{ acknowledged: true, status: "trigger_not_active" }` and one without steps
   * `no_workflow_steps_defined`, neither with a transactionId, and nothing runs. Otherwise the
   * trigger runs the synced steps on the synced bridge, even under a transactionId seen before
   * (see event-store.ts), whatever the bridge lists by now.
   */
  function accept(trigger: TriggerRequest, idempotencyKey: string | undefined): Json {
    const workflow = registry.get(trigger.workflowId);
    if (workflow === undefined || registry.bridgeUrl === undefined) {
      throw new NovuRefusal(422, "Unprocessable Entity", "workflow_not_found");
    }
    if (!workflow.active) return { acknowledged: true, status: "trigger_not_active" };
    if (workflow.steps.length === 0) {
      return { acknowledged: true, status: "no_workflow_steps_defined" };
    }
    const subscribers = trigger.subscribers.map((subscriber) => {
      const merged = { ...knownSubscribers.get(subscriber.subscriberId), ...subscriber };
      knownSubscribers.set(subscriber.subscriberId, merged);
      return merged;
    });
    // Novu strips its internal `__source` before handing the payload to the bridge.
    const { __source: _source, ...payload } = trigger.payload;
    const event: EventRecord = {
      transactionId: trigger.transactionId ?? newTransactionId(),
      workflowId: trigger.workflowId,
      status: "queued",
      acceptedAt: now(),
      duplicates: 0,
      idempotencyKey,
      bridgeUrl: registry.bridgeUrl,
      payload,
      overrides: trigger.overrides,
      context: trigger.context,
      recipients: subscribers.map((subscriber) => ({
        subscriberId: subscriber.subscriberId,
        subscriber,
        steps: workflow.steps.map((step) => ({
          stepId: step.stepId,
          type: step.type,
          status: "pending" as const,
        })),
      })),
      compacted: false,
    };
    store.add(event);
    const startedIn = generation;
    queue.push(() => Promise.resolve(runEvent(event, subscribers, payload, startedIn)));
    return { acknowledged: true, status: "processed", transactionId: event.transactionId };
  }

  function isAuthorized(request: Request): boolean {
    return !faults.apiKeyRevoked &&
      request.headers.get("authorization") === `ApiKey ${options.secretKey}`;
  }

  /** A fault response, or undefined to handle the call normally. */
  function injectedFault(request: Request): Response | undefined {
    const retryAfter = String(faults.rateLimit?.retryAfterSeconds ?? 1);
    const rateLimited = () => {
      store.counters.faults.rateLimited += 1;
      return novuError(request, 429, "Too Many Requests", "API rate limit exceeded", {
        "retry-after": retryAfter,
      });
    };
    const failed = () => {
      store.counters.faults.errors += 1;
      return novuError(request, 500, "Internal Server Error", "Injected fault: internal error");
    };
    if ((faults.failNext ?? 0) > 0) {
      faults.failNext! -= 1;
      return failed();
    }
    if ((faults.rateLimitNext ?? 0) > 0) {
      faults.rateLimitNext! -= 1;
      return rateLimited();
    }
    if ((faults.errorRate ?? 0) > 0 && random() < faults.errorRate!) return failed();
    if ((faults.rateLimit?.rate ?? 0) > 0 && random() < faults.rateLimit!.rate) {
      return rateLimited();
    }
    return undefined;
  }

  function shouldTimeOut(): boolean {
    if ((faults.timeoutNext ?? 0) > 0) {
      faults.timeoutNext! -= 1;
      return true;
    }
    return (faults.timeoutRate ?? 0) > 0 && random() < faults.timeoutRate!;
  }

  async function readJson(request: Request): Promise<unknown> {
    try {
      return await request.json();
    } catch {
      throw new ValidationFailure("body", "body must be valid JSON");
    }
  }

  /**
   * Novu's idempotency (apps/api .../idempotency.interceptor.ts): one key per organization,
   * whatever the path; a repeat with the same body replays the first answer (errors included)
   * with `idempotency-replay: true`; the same key with another body is 422; keys longer than
   * 255 characters are 400. (Its 409 "in progress" cannot happen here: a request is answered
   * before the next one is read.) Injected faults stand for failures in front of the API
   * (load balancer, rate limiter), which Novu never caches.
   */
  async function handleEventsApi(request: Request, path: string): Promise<Response> {
    const idempotencyKey = request.headers.get("idempotency-key") ?? undefined;
    if (
      request.method === "POST" &&
      (path === "/v1/events/trigger" || path === "/v1/events/trigger/bulk")
    ) {
      if (idempotencyKey !== undefined && idempotencyKey.length > 255) {
        return novuError(
          request,
          400,
          "Bad Request",
          `idempotencyKey "${idempotencyKey}" has exceeded the maximum allowed length of 255 characters`,
        );
      }
      let body: unknown;
      try {
        body = await readJson(request);
      } catch (error) {
        if (error instanceof ValidationFailure) return validationError(request, error);
        throw error;
      }
      const requestBody = JSON.stringify(body);
      const replay = idempotencyKey ? store.idempotentAnswer(idempotencyKey) : undefined;
      if (replay && replay.requestBody !== requestBody) {
        return novuError(
          request,
          422,
          "Unprocessable Entity",
          `Request with key "${idempotencyKey}" is being reused for a different body`,
        );
      }
      if (replay) {
        replay.transactionIds.forEach((transactionId) => store.countDuplicate(transactionId));
        return new Response(replay.body, {
          status: replay.status,
          headers: { "content-type": "application/json", "idempotency-replay": "true" },
        });
      }
      let answer: Json | Json[];
      try {
        if (path === "/v1/events/trigger") {
          answer = accept(parseTriggerRequest(body), idempotencyKey);
        } else {
          const events = isObject(body) ? body.events : undefined;
          if (!Array.isArray(events) || events.length === 0) {
            throw new ValidationFailure("events", "events should not be empty", events as never);
          }
          if (events.length > MAX_BULK_EVENTS) {
            throw new ValidationFailure(
              "events",
              `events must contain no more than ${MAX_BULK_EVENTS} elements`,
              events.length,
            );
          }
          // Validate all before accepting any, so a bad bulk call delivers nothing.
          const triggers = events.map((event, index) =>
            parseTriggerRequest(event, `events.${index}.`)
          );
          store.counters.bulkCalls += 1;
          // Novu's ProcessBulkTrigger (apps/api/src/app/events/usecases/process-bulk-trigger/
          // process-bulk-trigger.usecase.ts): an event its ParseEventRequest throws on becomes
          // `{ acknowledged: true, status: "error", error: [message], transactionId }` with the
          // event's own transactionId; the others run.
          answer = triggers.map((trigger) => {
            try {
              return accept(trigger, idempotencyKey);
            } catch (error) {
              if (!(error instanceof NovuRefusal)) throw error;
              return {
                acknowledged: true,
                status: "error",
                error: [error.message],
                ...(trigger.transactionId !== undefined &&
                  { transactionId: trigger.transactionId }),
              };
            }
          });
        }
      } catch (error) {
        if (!(error instanceof ValidationFailure) && !(error instanceof NovuRefusal)) throw error;
        const refusal = error instanceof ValidationFailure
          ? validationError(request, error)
          : novuError(request, error.status, error.error, error.message);
        if (idempotencyKey) {
          store.rememberIdempotentAnswer(idempotencyKey, {
            status: refusal.status,
            body: await refusal.clone().text(),
            transactionIds: [],
            requestBody,
          });
        }
        return refusal;
      }
      const bodyText = JSON.stringify({ data: answer });
      if (idempotencyKey) {
        const transactionIds = (Array.isArray(answer) ? answer : [answer]).flatMap((entry) =>
          typeof entry.transactionId === "string" ? [entry.transactionId] : []
        );
        store.rememberIdempotentAnswer(idempotencyKey, {
          status: 201,
          body: bodyText,
          transactionIds,
          requestBody,
        });
      }
      return new Response(bodyText, {
        status: 201,
        headers: { "content-type": "application/json" },
      });
    }
    const cancelMatch = path.match(/^\/v1\/events\/trigger\/([^/]+)$/);
    if (request.method === "DELETE" && cancelMatch) {
      const runs = store.runsOf(decodeURIComponent(cancelMatch[1]));
      store.counters.cancels += 1;
      for (const event of runs) event.cancelRequestedAt ??= now();
      return jsonResponse(200, { data: runs.length > 0 });
    }
    return novuError(request, 404, "Not Found", `Cannot ${request.method} ${path}`);
  }

  // ---- /v1/bridge/sync (what `npx novu sync` calls; see workflow-registry.ts) ----

  /**
   * Novu's `POST /v1/bridge/sync` (apps/api bridge.controller.ts, `Sync` use case): discovers
   * the bridge, signed, with one retry (`retriesLimit: 1`); a failed discover is 400 with the
   * bridge error's message; else the synced workflows replace the previous ones and the answer
   * is 201 `{ data: [workflow, ...] }`.
   */
  async function handleSync(request: Request): Promise<Response> {
    if ((faults.syncFailNext ?? 0) > 0) {
      faults.syncFailNext! -= 1;
      store.counters.faults.errors += 1;
      return novuError(request, 500, "Internal Server Error", "Injected fault: sync failed");
    }
    let body: unknown;
    try {
      body = await readJson(request);
    } catch (error) {
      if (error instanceof ValidationFailure) return validationError(request, error);
      throw error;
    }
    const bridgeUrl = isObject(body) ? body.bridgeUrl : undefined;
    if (typeof bridgeUrl !== "string" || !URL.canParse(bridgeUrl)) {
      return validationError(
        request,
        new ValidationFailure("bridgeUrl", "bridgeUrl must be a URL address", bridgeUrl as never),
      );
    }
    const discovered = await bridge.discover(bridgeUrl, 1);
    if (!discovered.ok) {
      return novuError(
        request,
        400,
        "Bad Request",
        `Bridge discover failed${
          discovered.status ? ` (${discovered.status})` : ""
        }: ${discovered.body}`,
      );
    }
    const workflows = registry.replace(bridgeUrl, discovered.body, now());
    return jsonResponse(201, { data: workflows.map(syncedWorkflowEntity) });
  }

  // ---- admin API ----

  /** The list filters of the query string. */
  function eventFilter(url: URL, defaultLimit = DEFAULT_LIST_LIMIT): EventFilter {
    const limit = Number(url.searchParams.get("limit") ?? defaultLimit);
    return {
      transactionId: url.searchParams.get("transactionId") ?? undefined,
      transactionIdPrefix: url.searchParams.get("transactionIdPrefix") ?? undefined,
      workflowId: url.searchParams.get("workflowId") ?? url.searchParams.get("name") ?? undefined,
      status: url.searchParams.get("status") ?? undefined,
      limit: Number.isInteger(limit) && limit > 0 ? limit : defaultLimit,
    };
  }

  function totals() {
    return {
      events: store.size,
      ...store.counters,
      syncs: registry.syncs,
      webhooks: { ...webhooks.counters },
      pendingWork: queue.size,
      pendingWebhooks: webhooks.pending,
    };
  }

  function parseFaults(body: unknown): Faults {
    if (!isObject(body)) throw new ValidationFailure("body", "faults must be an object");
    const share = (name: string, value: unknown) => {
      if (value === undefined) return undefined;
      if (typeof value !== "number" || value < 0 || value > 1) {
        throw new ValidationFailure(name, `${name} must be a number from 0 to 1`);
      }
      return value;
    };
    const count = (name: string, value: unknown) => {
      if (value === undefined) return undefined;
      if (!Number.isInteger(value) || (value as number) < 0) {
        throw new ValidationFailure(name, `${name} must be a non-negative integer`);
      }
      return value as number;
    };
    const flag = (name: string, value: unknown) => {
      if (value === undefined) return undefined;
      if (typeof value !== "boolean") {
        throw new ValidationFailure(name, `${name} must be a boolean`);
      }
      return value;
    };
    const channelList = (name: string, value: unknown) => {
      if (value === undefined) return undefined;
      if (!Array.isArray(value) || !value.every((entry) => webhooks.isChannelStep(entry))) {
        throw new ValidationFailure(
          name,
          `${name} must be a list of channel step types (email, in_app, sms, chat, push)`,
        );
      }
      return value as string[];
    };
    let rateLimit: Faults["rateLimit"];
    if (body.rateLimit !== undefined) {
      if (!isObject(body.rateLimit)) {
        throw new ValidationFailure("rateLimit", "rateLimit must be an object");
      }
      rateLimit = {
        rate: share("rateLimit.rate", body.rateLimit.rate ?? 0)!,
        retryAfterSeconds: count(
          "rateLimit.retryAfterSeconds",
          body.rateLimit.retryAfterSeconds ?? 1,
        )!,
      };
    }
    return {
      errorRate: share("errorRate", body.errorRate),
      timeoutRate: share("timeoutRate", body.timeoutRate),
      rateLimit,
      latencyMs: count("latencyMs", body.latencyMs),
      failNext: count("failNext", body.failNext),
      rateLimitNext: count("rateLimitNext", body.rateLimitNext),
      timeoutNext: count("timeoutNext", body.timeoutNext),
      apiKeyRevoked: flag("apiKeyRevoked", body.apiKeyRevoked),
      syncFailNext: count("syncFailNext", body.syncFailNext),
      failChannels: channelList("failChannels", body.failChannels),
    };
  }

  async function handleAdmin(request: Request, url: URL): Promise<Response> {
    const path = url.pathname;
    if (request.method === "GET" && path === "/_emulator/events") {
      return jsonResponse(200, { counters: totals(), events: store.list(eventFilter(url)) });
    }
    const eventMatch = path.match(/^\/_emulator\/events\/([^/]+)$/);
    if (request.method === "GET" && eventMatch) {
      const transactionId = decodeURIComponent(eventMatch[1]);
      const event = store.get(transactionId);
      return event
        ? jsonResponse(200, event)
        : adminError(404, "not_found", `no event with transactionId ${transactionId}`);
    }
    if (request.method === "GET" && path === "/_emulator/workflows") {
      return jsonResponse(200, {
        bridgeUrl: registry.bridgeUrl ?? null,
        workflows: registry.list(),
      });
    }
    // What an operator can do in Novu's dashboard: switch a synced workflow off or on, delete it.
    const workflowMatch = path.match(/^\/_emulator\/workflows\/([^/]+)$/);
    if (workflowMatch && request.method === "PATCH") {
      const body = await readJson(request).catch(() => undefined);
      if (!isObject(body) || typeof body.active !== "boolean") {
        return adminError(400, "invalid_workflow", "body must be { active: boolean }");
      }
      const workflow = registry.setActive(decodeURIComponent(workflowMatch[1]), body.active);
      return workflow
        ? jsonResponse(200, workflow)
        : adminError(404, "not_found", `no synced workflow ${workflowMatch[1]}`);
    }
    if (workflowMatch && request.method === "DELETE") {
      return registry.remove(decodeURIComponent(workflowMatch[1]))
        ? jsonResponse(200, { deleted: true })
        : adminError(404, "not_found", `no synced workflow ${workflowMatch[1]}`);
    }
    if (request.method === "POST" && path === "/_emulator/reset") {
      generation += 1;
      queue.clear();
      store.reset();
      knownSubscribers = new Map();
      webhooks.reset();
      faults = {};
      return jsonResponse(200, { reset: true });
    }
    // Benchmarks only: hold the workflow runs Novu does after accepting a trigger (bridge
    // steps, message webhooks), so a bench can measure XNovu's own path apart from the work Novu
    // Cloud does on its own workers (https://docs.novu.co/platform/how-novu-works: a trigger is
    // accepted, then its workflow runs asynchronously). Triggers are accepted as before.
    if (path === "/_emulator/execution" && request.method === "GET") {
      return jsonResponse(200, { paused: queue.paused, pendingWork: queue.size });
    }
    if (path === "/_emulator/execution" && request.method === "POST") {
      const body = await readJson(request).catch(() => undefined);
      if (!isObject(body) || typeof body.paused !== "boolean") {
        return adminError(400, "invalid_execution", "body must be { paused: boolean }");
      }
      if (body.paused) queue.pause();
      else queue.resume();
      return jsonResponse(200, { paused: queue.paused, pendingWork: queue.size });
    }
    if (path === "/_emulator/faults" && request.method === "GET") {
      return jsonResponse(200, { faults });
    }
    if (path === "/_emulator/faults" && request.method === "POST") {
      try {
        faults = parseFaults(await readJson(request));
      } catch (error) {
        if (error instanceof ValidationFailure) {
          return adminError(400, "invalid_faults", `${error.field}: ${error.message}`);
        }
        throw error;
      }
      return jsonResponse(200, { faults });
    }
    return adminError(404, "not_found", `no route ${request.method} ${path}`);
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path.startsWith("/v1/events")) {
      if (faults.latencyMs) await sleep(faults.latencyMs, request.signal);
      if (!isAuthorized(request)) {
        return novuError(request, 401, "Unauthorized", "API Key not found");
      }
      const fault = injectedFault(request);
      if (fault) return fault;
      const response = await handleEventsApi(request, path);
      if (response.status < 400 && shouldTimeOut()) {
        // The call took effect; the client only never hears back, as with a real timeout.
        store.counters.faults.timeouts += 1;
        await sleep(timeoutHoldMs, request.signal);
        return novuError(request, 504, "Gateway Timeout", "Injected fault: response held back");
      }
      return response;
    }
    if (path === "/v1/bridge/sync" && request.method === "POST") {
      if (faults.latencyMs) await sleep(faults.latencyMs, request.signal);
      if (!isAuthorized(request)) {
        return novuError(request, 401, "Unauthorized", "API Key not found");
      }
      return await handleSync(request);
    }
    // Novu Cloud's unauthenticated liveness probe; XNovu's health function calls it.
    if (request.method === "GET" && path === "/v1/health-check") {
      return jsonResponse(200, { data: { status: "ok" } });
    }
    // The API key's environment (https://docs.novu.co/api-reference/environments, `GET
    // /v1/environments/me`); XNovu's health function calls it to learn whether the key is accepted.
    if (request.method === "GET" && path === "/v1/environments/me") {
      if (!isAuthorized(request)) {
        return novuError(request, 401, "Unauthorized", "API Key not found");
      }
      return jsonResponse(200, {
        data: { _id: EMULATED_ENVIRONMENT_ID, name: "Development", identifier: "xnovu-local" },
      });
    }
    if (path.startsWith("/_emulator/")) return await handleAdmin(request, url);
    if (request.method === "GET" && path === "/") {
      // The page takes the list's filters (say ?transactionId=...) to show one event among many.
      const filter = eventFilter(url, PAGE_EVENT_LIMIT);
      const shown = store.list({ ...filter, limit: Math.min(filter.limit, PAGE_EVENT_LIMIT) });
      return new Response(renderEventsPage(shown, totals()), {
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    }
    return adminError(404, "not_found", `no route ${request.method} ${path}`);
  }

  return {
    handle: async (request) => {
      try {
        return await handle(request);
      } catch (error) {
        console.error("novu-emulator: request failed", error);
        return adminError(500, "internal_error", String(error));
      }
    },
    idle: () => queue.idle().then(() => webhooks.idle()),
  };
}
