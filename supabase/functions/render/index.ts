import { createDbClient } from "../../../shared/db/client.ts";
import { callerCanAccessEnterprise } from "../../../shared/db/enterprise-access.ts";
import {
  listenForTemplateChanges,
  TEMPLATE_CACHE_TTL_MS,
} from "../../../shared/db/template-change-listener.ts";
import { createDbTemplateLoader } from "../../../shared/db/template-loader.ts";
import { createTemplateEngine } from "../../../shared/templates/mod.ts";
import { createRenderHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!);
// One engine per instance so its cache spans requests; the loader filters by the requested
// enterprise explicitly, as the pool connects with a role that bypasses RLS. Template row
// changes invalidate the cache at once (NOTIFY); the TTL only bounds staleness while the
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

Deno.serve(createRenderHandler({
  callerCanAccessEnterprise: (claims, enterpriseId) =>
    callerCanAccessEnterprise(sql, claims, enterpriseId),
  render: (request) => engine.render(request),
  renderInline: (request) => engine.renderInline(request),
  logError: (message, error) => console.error(message, error),
}));
