import { signNovuRequest } from "../../shared/novu/signature.ts";
import { FUNCTIONS_URL, NOVU_SECRET_KEY } from "./env.ts";

export const BRIDGE_URL = `${FUNCTIONS_URL}/novu-bridge`;

export interface BridgeCall {
  method?: "GET" | "POST";
  query: Record<string, string>;
  /** POST body; GET requests are signed over `{}`, as the framework reads them. */
  body?: unknown;
  /** `undefined` signs with the local secret now; `null` sends no signature. */
  signature?: string | null;
}

/**
 * Calls the bridge the way Novu Cloud does: query-string action, signed JSON body. The answer
 * is untyped protocol JSON that tests assert field by field.
 */
// deno-lint-ignore no-explicit-any
export async function callBridge(call: BridgeCall): Promise<{ status: number; body: any }> {
  const method = call.method ?? (call.body === undefined ? "GET" : "POST");
  const bodyText = JSON.stringify(call.body ?? {});
  const signature = call.signature === undefined
    ? await signNovuRequest(NOVU_SECRET_KEY, bodyText, Date.now())
    : call.signature;
  const response = await fetch(`${BRIDGE_URL}?${new URLSearchParams(call.query)}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(signature !== null && { "novu-signature": signature }),
    },
    body: method === "POST" ? bodyText : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : JSON.parse(text) };
}

export interface ExecuteOptions {
  workflowId: string;
  stepId: string;
  payload: Record<string, unknown>;
  subscriber?: Record<string, unknown>;
  /** Steps before `stepId` that Novu already ran; the framework hydrates them from `state`. */
  completedStepIds?: string[];
}

/** What Novu reports for a delivered in-app step (the framework validates step results). */
const IN_APP_RESULT = { seen: false, read: false, lastSeenDate: null, lastReadDate: null };

export function executeStep(options: ExecuteOptions) {
  return callBridge({
    query: { action: "execute", workflowId: options.workflowId, stepId: options.stepId },
    body: {
      payload: options.payload,
      subscriber: options.subscriber ?? { subscriberId: "subscriber-1" },
      state: (options.completedStepIds ?? []).map((stepId) => ({
        stepId,
        outputs: stepId === "in-app" ? IN_APP_RESULT : {},
        state: { status: "completed" },
      })),
      controls: {},
      context: {},
    },
  });
}
