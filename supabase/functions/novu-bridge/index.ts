import { createDbClient } from "../../../shared/db/client.ts";
import {
  loadPublishedDynamicWorkflows,
  loadWithdrawnWorkflow,
} from "../../../shared/db/dynamic-workflows.ts";
import { createLiveTemplateEngine } from "../../../shared/db/live-template-engine.ts";
import { errorResponse } from "../../../shared/http/errors.ts";
import { createBridgeHandler } from "../../../shared/workflows/bridge.ts";
import { engineRenderer } from "../../../shared/workflows/engine-renderer.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!);
// Renders for the enterprise in the payload's `_xnovu` envelope.
const engine = createLiveTemplateEngine(sql);

const bridge = createBridgeHandler({
  secretKey: Deno.env.get("NOVU_SECRET_KEY"),
  loadDynamicWorkflows: () => loadPublishedDynamicWorkflows(sql),
  loadWithdrawnWorkflow: (notificationId, enterpriseId, workflowKey) =>
    loadWithdrawnWorkflow(sql, notificationId, enterpriseId, workflowKey),
  render: engineRenderer(engine),
  now: () => Date.now(),
});

Deno.serve(async (request) => {
  try {
    return await bridge(request);
  } catch (error) {
    // Only reading the workflow rows can fail here; the framework answers everything else.
    console.error("novu-bridge: cannot load workflows", error);
    return errorResponse(503, "WORKFLOWS_UNAVAILABLE", "workflow definitions cannot be read");
  }
});
