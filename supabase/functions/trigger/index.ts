import { createDbClient } from "../../../shared/db/client.ts";
import { callerCanAccessEnterprise } from "../../../shared/db/enterprise-access.ts";
import { createNotification } from "./create-notification.ts";
import { createTriggerHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!);

Deno.serve(createTriggerHandler({
  callerCanAccessEnterprise: (claims, enterpriseId) =>
    callerCanAccessEnterprise(sql, claims, enterpriseId),
  createNotification: (claims, notification) => createNotification(sql, claims, notification),
  newUuid: () => crypto.randomUUID(),
  logError: (message, error) => console.error(message, error),
}));
