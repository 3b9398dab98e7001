import { createDbClient } from "../../../shared/db/client.ts";
import { loadPublishedDynamicWorkflows } from "../../../shared/db/dynamic-workflows.ts";
import {
  listenForTemplateChanges,
  TEMPLATE_CACHE_TTL_MS,
} from "../../../shared/db/template-change-listener.ts";
import { createDbTemplateLoader } from "../../../shared/db/template-loader.ts";
import { errorResponse } from "../../../shared/http/errors.ts";
import { createTemplateEngine } from "../../../shared/templates/mod.ts";
import { createBridgeHandler } from "../../../shared/workflows/bridge.ts";
import { engineRenderer } from "../../../shared/workflows/engine-renderer.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!);
// The loader filters by the payload's enterprise explicitly: this pool bypasses RLS. Template
// row changes invalidate the cache at once (NOTIFY); the TTL only bounds staleness while the
// LISTEN connection is down.
const engine = createTemplateEngine({
  loader: createDbTemplateLoader(sql),
  cacheTtlMs: TEMPLATE_CACHE_TTL_MS,
});
listenForTemplateChanges({
  listen: (channel, onNotify, onListen) => sql.listen(channel, onNotify, onListen),
  engine,
  logError: (message, error) => console.error(message, error),
});

const bridge = createBridgeHandler({
  secretKey: Deno.env.get("NOVU_SECRET_KEY"),
  loadDynamicWorkflows: () => loadPublishedDynamicWorkflows(sql),
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
