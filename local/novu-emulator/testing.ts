/**
 * Test helpers for the emulator: serving it on an ephemeral port, a fake bridge that checks
 * Novu's signature with the shared helper, and polling with a deadline.
 */
import { NOVU_SIGNATURE_HEADER, verifyNovuSignature } from "../../shared/novu/signature.ts";
import type { DiscoveredWorkflow } from "./bridge-client.ts";
import { createEmulator, type Emulator, type EmulatorOptions } from "./emulator.ts";
import type { EventRecord } from "./event-store.ts";
import { waitFor } from "../../tests/support/wait.ts";

export { waitFor };

export const TEST_SECRET = "xnovu-test-novu-secret";

/**
 * Test servers answer `Connection: close`: each test starts servers on ephemeral ports, and a
 * kept-alive connection from fetch's shared pool to a server a previous test shut down could
 * otherwise be reused for a request that is never answered.
 */
function closingConnections(
  handler: (request: Request) => Response | Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const response = await handler(request);
    const headers = new Headers(response.headers);
    headers.set("connection", "close");
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

export interface ServedEmulator {
  url: string;
  emulator: Emulator;
  close(): Promise<void>;
}

export function serveEmulator(
  options: Omit<EmulatorOptions, "secretKey"> & { secretKey?: string },
): ServedEmulator {
  const emulator = createEmulator({ secretKey: TEST_SECRET, ...options });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    closingConnections(emulator.handle),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    emulator,
    async close() {
      await emulator.idle();
      await server.shutdown();
    },
  };
}

/** Calls the emulator's sync as `npx novu sync` does (XNovu's novu-sync function). */
export async function syncBridge(
  emulatorUrl: string,
  bridgeUrl: string,
  secretKey = TEST_SECRET,
): Promise<Response> {
  return await fetch(`${emulatorUrl}/v1/bridge/sync?source=cli`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `ApiKey ${secretKey}` },
    body: JSON.stringify({ bridgeUrl }),
  });
}

/** An emulator synced once with `bridgeUrl`, as Novu Cloud is after `npx novu sync`. */
export async function serveSyncedEmulator(
  options: Parameters<typeof serveEmulator>[0] & { bridgeUrl: string },
): Promise<ServedEmulator> {
  const { bridgeUrl, ...emulatorOptions } = options;
  const served = serveEmulator(emulatorOptions);
  const response = await syncBridge(served.url, bridgeUrl, options.secretKey);
  if (response.status !== 201) {
    await served.close();
    throw new Error(`the sync failed: ${response.status} ${await response.text()}`);
  }
  await response.body?.cancel();
  return served;
}

export interface BridgeCall {
  method: string;
  action: string | null;
  workflowId: string | null;
  stepId: string | null;
  // deno-lint-ignore no-explicit-any
  body: any;
  signatureValid: boolean;
}

export interface FakeBridge {
  url: string;
  calls: BridgeCall[];
  close(): Promise<void>;
}

/**
 * A bridge answering `discover` with `workflows` and `execute` with `execute(call)`'s JSON
 * (status 200 unless it returns `{ status, body }` via `reply`). Requests with a bad
 * signature are answered 401 like @novu/framework does.
 */
export function startFakeBridge(options: {
  /** The discover answer's workflows (`options.active: false` marks one inactive). */
  workflows: Array<Omit<DiscoveredWorkflow, "active"> & { options?: { active?: boolean } }>;
  execute: (call: BridgeCall) => unknown | Promise<unknown>;
}): FakeBridge {
  const calls: BridgeCall[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    closingConnections(async (request) => {
      const url = new URL(request.url);
      const text = request.method === "POST" ? await request.text() : "{}";
      const signature = await verifyNovuSignature(
        TEST_SECRET,
        request.headers.get(NOVU_SIGNATURE_HEADER),
        text,
        Date.now(),
      );
      const call: BridgeCall = {
        method: request.method,
        action: url.searchParams.get("action"),
        workflowId: url.searchParams.get("workflowId"),
        stepId: url.searchParams.get("stepId"),
        body: JSON.parse(text),
        signatureValid: signature.valid,
      };
      calls.push(call);
      if (!signature.valid) {
        return Response.json({ code: "SignatureMismatchError" }, {
          status: 401,
        });
      }
      if (call.action === "discover") return Response.json({ workflows: options.workflows });
      const answer = await options.execute(call);
      if (answer instanceof Response) return answer;
      return Response.json(answer);
    }),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/functions/v1/novu-bridge`,
    calls,
    close: () => server.shutdown(),
  };
}

/** The framework's ExecuteOutput for a rendered step. */
export function executed(outputs: Record<string, unknown>) {
  return {
    outputs,
    providers: {},
    options: { skip: false },
    metadata: { status: "success", error: false, duration: 1 },
  };
}

export async function getEvent(
  baseUrl: string,
  transactionId: string,
): Promise<EventRecord | undefined> {
  const response = await fetch(`${baseUrl}/_emulator/events/${encodeURIComponent(transactionId)}`);
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  return await response.json();
}

/** Waits until the event reached a final status and returns it. */
export function waitForFinishedEvent(baseUrl: string, transactionId: string): Promise<EventRecord> {
  return waitFor(async () => {
    const event = await getEvent(baseUrl, transactionId);
    return event && !["queued", "processing"].includes(event.status) ? event : undefined;
  }, { what: `event ${transactionId} to finish`, timeoutMs: 5_000, intervalMs: 20 });
}
