import { createDbClient } from "../../../shared/db/client.ts";
import { callerCanAccessEnterprise } from "../../../shared/db/enterprise-access.ts";
import { emitEvent } from "./emit-event.ts";
import { createEventsHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!);

Deno.serve(createEventsHandler({
  callerCanAccessEnterprise: (claims, enterpriseId) =>
    callerCanAccessEnterprise(sql, claims, enterpriseId),
  emitEvent: (claims, event) => emitEvent(sql, claims, event),
  logError: (message, error) => console.error(message, error),
}));
