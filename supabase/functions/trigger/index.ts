import { createDbClient } from "../../../shared/db/client.ts";
import { withCors } from "../../../shared/http/cors.ts";
import { callerCanAccessEnterprise } from "../../../shared/db/enterprise-access.ts";
import { createPayloadValidator } from "../../../shared/dispatch/payload-validation.ts";
import { createNotification } from "./create-notification.ts";
import { createTriggerHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!);
const validatePayload = createPayloadValidator();

Deno.serve(withCors(createTriggerHandler({
  callerCanAccessEnterprise: (claims, enterpriseId) =>
    callerCanAccessEnterprise(sql, claims, enterpriseId),
  createNotification: (claims, notification) =>
    createNotification(sql, claims, notification, validatePayload),
  newUuid: () => crypto.randomUUID(),
  logError: (message, error) => console.error(message, error),
})));
