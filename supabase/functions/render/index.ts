import { createDbClient } from "../../../shared/db/client.ts";
import { withCors } from "../../../shared/http/cors.ts";
import { callerCanAccessEnterprise } from "../../../shared/db/enterprise-access.ts";
import { createLiveTemplateEngine } from "../../../shared/db/live-template-engine.ts";
import { createRenderHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!);
const engine = createLiveTemplateEngine(sql);

Deno.serve(withCors(createRenderHandler({
  callerCanAccessEnterprise: (claims, enterpriseId) =>
    callerCanAccessEnterprise(sql, claims, enterpriseId),
  render: (request) => engine.render(request),
  renderInline: (request) => engine.renderInline(request),
  logError: (message, error) => console.error(message, error),
})));
