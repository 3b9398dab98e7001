import { BodyTooLargeError, bodyTooLargeResponse, readBoundedBody } from "../http/body.ts";
import { xnovuEnvelopeSchema } from "./channels.ts";
import { buildWorkflow, createNovuRequestHandler } from "./novu.ts";
import { planStaticWorkflow, planWorkflowRow, type WorkflowRow } from "./plan.ts";
import { STATIC_WORKFLOWS } from "./static/mod.ts";
import type { RenderStep } from "./steps.ts";

export interface BridgeDependencies {
  secretKey: string | undefined;
  /** Published, active DYNAMIC workflow rows (the DB read the bridge caches briefly). */
  loadDynamicWorkflows: () => Promise<WorkflowRow[]>;
  render: RenderStep;
  now: () => number;
  /** How long one DB read of the dynamic rows is reused; ≤ 1000 so edits show within 1 s. */
  dynamicRowsTtlMs?: number;
  /**
   * The DYNAMIC workflow an event still runs on after it was unpublished, deactivated, renamed
   * or deleted, as it was when the notification was sent (`loadWithdrawnWorkflow` in
   * shared/db/dynamic-workflows.ts); undefined when the notification was not sent before.
   */
  loadWithdrawnWorkflow?: (
    notificationId: number,
    enterpriseId: string,
    workflowKey: string,
  ) => Promise<WorkflowRow | undefined>;
}

/** Withdrawn workflows' handlers kept at once (each is one small framework client). */
const WITHDRAWN_HANDLERS_KEPT = 32;

const DEFAULT_DYNAMIC_ROWS_TTL_MS = 500;

/**
 * The bridge: static workflows from code plus dynamic workflows from rows, served with the
 * Novu framework. The framework's client discovers a workflow once and never forgets it, so
 * a changed set of rows gets a fresh client; an unchanged set keeps the current one.
 */
export function createBridgeHandler(
  dependencies: BridgeDependencies,
): (request: Request) => Promise<Response> {
  const ttl = dependencies.dynamicRowsTtlMs ?? DEFAULT_DYNAMIC_ROWS_TTL_MS;
  const staticWorkflows = STATIC_WORKFLOWS.map((definition) =>
    buildWorkflow(planStaticWorkflow(definition), dependencies.render)
  );
  const staticKeys = new Set(STATIC_WORKFLOWS.map((definition) => definition.key));

  interface Served {
    rowsFingerprint: string;
    /** Every workflow id the current handler serves (static and dynamic). */
    keys: Set<string>;
    handle: (request: Request) => Promise<Response>;
  }
  let served: Served | null = null;
  const withdrawnHandlers = new Map<string, (request: Request) => Promise<Response>>();
  let rowsReadAt = Number.NEGATIVE_INFINITY;
  let pendingRead: Promise<Served> | null = null;

  async function readRowsAndRebuildIfChanged(): Promise<Served> {
    const startedAt = dependencies.now();
    // A row may not take over a static workflow's id: the code is the definition of record.
    const rows = (await dependencies.loadDynamicWorkflows()).filter((row) =>
      !staticKeys.has(row.workflow_key)
    );
    const rowsFingerprint = JSON.stringify(rows);
    if (served === null || served.rowsFingerprint !== rowsFingerprint) {
      const dynamicWorkflows = rows.map((row) =>
        buildWorkflow(planWorkflowRow(row), dependencies.render)
      );
      served = {
        rowsFingerprint,
        keys: new Set([...staticKeys, ...rows.map((row) => row.workflow_key)]),
        handle: createNovuRequestHandler({
          secretKey: dependencies.secretKey,
          workflows: [...staticWorkflows, ...dynamicWorkflows],
        }),
      };
    }
    rowsReadAt = startedAt;
    return served;
  }

  function currentServed(): Promise<Served> {
    if (served !== null && dependencies.now() - rowsReadAt < ttl) {
      return Promise.resolve(served);
    }
    // Concurrent requests share one DB read instead of each starting their own.
    pendingRead ??= readRowsAndRebuildIfChanged().finally(() => {
      pendingRead = null;
    });
    return pendingRead;
  }

  return async (request) => {
    // The bridge is public (Novu signs, no JWT): the body is bounded before the framework
    // reads it whole to check the signature.
    let bounded: Request;
    try {
      bounded = await withBoundedBody(request);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return bodyTooLargeResponse(error);
      throw error;
    }
    const current = await currentServed();
    const withdrawn = await withdrawnHandler(bounded, current.keys);
    return (withdrawn ?? current.handle)(bounded);
  };

  /**
   * Novu Cloud runs the events it holds on the workflow it was synced with: an execute call for
   * a workflow the bridge no longer lists, of a notification sent before it was withdrawn, is
   * served that workflow as it was (the framework still checks the signature first). Discover
   * never lists it.
   */
  async function withdrawnHandler(request: Request, servedKeys: Set<string>) {
    const load = dependencies.loadWithdrawnWorkflow;
    const url = new URL(request.url);
    const workflowId = url.searchParams.get("workflowId");
    if (!load || url.searchParams.get("action") !== "execute" || workflowId === null) return;
    if (servedKeys.has(workflowId)) return;
    let envelope;
    try {
      envelope = xnovuEnvelopeSchema.safeParse((await request.clone().json())?.payload?._xnovu);
    } catch {
      return;
    }
    if (!envelope.success) return;
    const row = await load(
      Number(envelope.data.notification_id),
      envelope.data.enterprise_id,
      workflowId,
    );
    if (!row || row.workflow_key !== workflowId) return;
    const fingerprint = JSON.stringify(row);
    let handle = withdrawnHandlers.get(fingerprint);
    if (!handle) {
      if (withdrawnHandlers.size >= WITHDRAWN_HANDLERS_KEPT) withdrawnHandlers.clear();
      handle = createNovuRequestHandler({
        secretKey: dependencies.secretKey,
        workflows: [buildWorkflow(planWorkflowRow(row), dependencies.render)],
      });
      withdrawnHandlers.set(fingerprint, handle);
    }
    return handle;
  }
}

/** The same request with its body read under `MAX_REQUEST_BODY_BYTES`. */
async function withBoundedBody(request: Request): Promise<Request> {
  if (request.body === null) return request;
  const body = await readBoundedBody(request);
  return new Request(request.url, { method: request.method, headers: request.headers, body });
}
