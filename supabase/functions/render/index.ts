import { createDbClient } from "../../../shared/db/client.ts";
import { callerCanAccessEnterprise } from "../../../shared/db/enterprise-access.ts";
import { createDbTemplateLoader } from "../../../shared/db/template-loader.ts";
import { createTemplateEngine } from "../../../shared/templates/mod.ts";
import { createRenderHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!);
// One engine per instance so its cache (1 s TTL) spans requests; the loader filters by the
// requested enterprise explicitly, as the pool connects with a role that bypasses RLS.
const engine = createTemplateEngine({ loader: createDbTemplateLoader(sql) });

Deno.serve(createRenderHandler({
  callerCanAccessEnterprise: (claims, enterpriseId) =>
    callerCanAccessEnterprise(sql, claims, enterpriseId),
  render: (request) => engine.render(request),
  renderInline: (request) => engine.renderInline(request),
  logError: (message, error) => console.error(message, error),
}));
