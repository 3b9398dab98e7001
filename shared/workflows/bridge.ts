import { BodyTooLargeError, bodyTooLargeResponse, readBoundedBody } from "../http/body.ts";
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
}

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

  let served: { rowsFingerprint: string; handle: (request: Request) => Promise<Response> } | null =
    null;
  let rowsReadAt = Number.NEGATIVE_INFINITY;
  let pendingRead: Promise<(request: Request) => Promise<Response>> | null = null;

  async function readRowsAndRebuildIfChanged() {
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
        handle: createNovuRequestHandler({
          secretKey: dependencies.secretKey,
          workflows: [...staticWorkflows, ...dynamicWorkflows],
        }),
      };
    }
    rowsReadAt = startedAt;
    return served.handle;
  }

  function currentHandle() {
    if (served !== null && dependencies.now() - rowsReadAt < ttl) {
      return Promise.resolve(served.handle);
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
    return (await currentHandle())(bounded);
  };
}

/** The same request with its body read under `MAX_REQUEST_BODY_BYTES`. */
async function withBoundedBody(request: Request): Promise<Request> {
  if (request.body === null) return request;
  const body = await readBoundedBody(request);
  return new Request(request.url, { method: request.method, headers: request.headers, body });
}
