import { createDbClient } from "../../../shared/db/client.ts";
import { withCors } from "../../../shared/http/cors.ts";
import { callerCanAccessEnterprise } from "../../../shared/db/enterprise-access.ts";
import { emitEvent } from "./emit-event.ts";
import { createEventsHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!);

Deno.serve(withCors(createEventsHandler({
  callerCanAccessEnterprise: (claims, enterpriseId) =>
    callerCanAccessEnterprise(sql, claims, enterpriseId),
  emitEvent: (claims, event) => emitEvent(sql, claims, event),
  logError: (message, error) => console.error(message, error),
})));
