/**
 * What Novu Cloud does towards a bridge (@novu/framework endpoint): signed `discover` and
 * `execute` requests, with a bounded timeout and retries on transient failures.
 */
import { NOVU_SIGNATURE_HEADER, signNovuRequest } from "../../shared/novu/signature.ts";

export interface DiscoveredStep {
  stepId: string;
  type: string;
}

export interface DiscoveredWorkflow {
  workflowId: string;
  steps: DiscoveredStep[];
  /** `options.active`, which Novu's sync reads (default true: framework code never says). */
  active: boolean;
}

/** The execute body Novu Cloud's ExecuteBridgeJob sends (workflowId/stepId go in the query). */
export interface BridgeExecuteEvent {
  payload: Record<string, unknown>;
  controls: Record<string, unknown>;
  state: Array<
    { stepId: string; outputs: Record<string, unknown>; state: { status: string; error?: string } }
  >;
  subscriber: Record<string, unknown>;
  context: Record<string, unknown>;
}

/** The framework's ExecuteOutput, as far as the emulator reads it. */
export interface BridgeExecuteOutput {
  outputs?: Record<string, unknown>;
  options?: { skip?: boolean };
}

export type BridgeResponse<T> =
  | { ok: true; body: T }
  | { ok: false; status?: number; body: string };

export interface BridgeClientOptions {
  secretKey: string;
  fetch: typeof fetch;
  now: () => number;
  /** Per-request timeout (Novu Cloud uses 3 s). */
  requestTimeoutMs: number;
  /** Extra attempts after a transient failure (network, timeout, 408, 429, 5xx). */
  retries: number;
  /** First retry delay; doubles per attempt (Novu Cloud: 2 s, 4 s, 8 s; shorter here). */
  retryDelayMs: number;
}

/** Status codes Novu Cloud's ExecuteBridgeRequest retries. */
const RETRYABLE_STATUSES = new Set([408, 413, 429, 500, 502, 503, 504, 521, 522, 524]);

/** Error bodies are kept for the event record; a bridge stack trace must not fill memory. */
const MAX_ERROR_BODY_CHARS = 2000;

export interface BridgeClient {
  /** The bridge's workflows now; `retries` overrides the client's for this call. */
  discover(bridgeUrl: string, retries?: number): Promise<BridgeResponse<DiscoveredWorkflow[]>>;
  execute(
    bridgeUrl: string,
    target: { workflowId: string; stepId: string },
    event: BridgeExecuteEvent,
  ): Promise<BridgeResponse<BridgeExecuteOutput>>;
}

function parseDiscoverBody(body: unknown): DiscoveredWorkflow[] | undefined {
  const workflows = (body as { workflows?: unknown })?.workflows;
  if (!Array.isArray(workflows)) return undefined;
  return workflows.map((workflow) => ({
    workflowId: String(workflow?.workflowId),
    active: workflow?.options?.active !== false,
    steps: Array.isArray(workflow?.steps)
      ? workflow.steps.map((step: { stepId?: unknown; type?: unknown }) => ({
        stepId: String(step?.stepId),
        type: String(step?.type),
      }))
      : [],
  }));
}

export function createBridgeClient(options: BridgeClientOptions): BridgeClient {
  async function requestOnce(
    method: "GET" | "POST",
    url: URL,
    bodyText: string,
  ): Promise<BridgeResponse<unknown> & { retryable: boolean }> {
    const headers = new Headers({
      "content-type": "application/json",
      [NOVU_SIGNATURE_HEADER]: await signNovuRequest(options.secretKey, bodyText, options.now()),
    });
    try {
      const response = await options.fetch(url, {
        method,
        headers,
        body: method === "POST" ? bodyText : undefined,
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
      const text = await response.text();
      if (!response.ok) {
        return {
          ok: false,
          status: response.status,
          body: text.slice(0, MAX_ERROR_BODY_CHARS),
          retryable: RETRYABLE_STATUSES.has(response.status),
        };
      }
      try {
        return { ok: true, body: JSON.parse(text), retryable: false };
      } catch {
        return {
          ok: false,
          status: response.status,
          body: `bridge answered non-JSON: ${text.slice(0, MAX_ERROR_BODY_CHARS)}`,
          retryable: false,
        };
      }
    } catch (error) {
      return { ok: false, body: `bridge request failed: ${String(error)}`, retryable: true };
    }
  }

  async function request(
    method: "GET" | "POST",
    url: URL,
    bodyText: string,
    retries = options.retries,
  ): Promise<BridgeResponse<unknown>> {
    for (let attempt = 0;; attempt += 1) {
      const { retryable, ...result } = await requestOnce(method, url, bodyText);
      if (result.ok || !retryable || attempt >= retries) return result;
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs * 2 ** attempt));
    }
  }

  function actionUrl(bridgeUrl: string, params: Record<string, string>): URL {
    const url = new URL(bridgeUrl);
    // One re-serialisation of the URL, not one per `url.searchParams.set` (a tenth of the
    // emulator's CPU went to rebuilding the execute URL three times).
    const search = new URLSearchParams(url.search);
    for (const [name, value] of Object.entries(params)) search.set(name, value);
    url.search = search.toString();
    return url;
  }

  async function discover(
    bridgeUrl: string,
    retries?: number,
  ): Promise<BridgeResponse<DiscoveredWorkflow[]>> {
    // Novu Cloud signs a GET with the empty event `{}`; the framework hashes `{}` for a GET.
    const result = await request(
      "GET",
      actionUrl(bridgeUrl, { action: "discover" }),
      "{}",
      retries,
    );
    if (!result.ok) return result;
    const workflows = parseDiscoverBody(result.body);
    return workflows
      ? { ok: true, body: workflows }
      : { ok: false, body: "discover answer has no workflows array" };
  }

  return {
    discover,

    async execute(bridgeUrl, { workflowId, stepId }, event) {
      const url = actionUrl(bridgeUrl, { action: "execute", workflowId, stepId });
      const result = await request("POST", url, JSON.stringify(event));
      return result.ok ? { ok: true, body: result.body as BridgeExecuteOutput } : result;
    },
  };
}
