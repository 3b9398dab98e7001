import { Webhook } from "svix";
import { createDbClient } from "../../../shared/db/client.ts";
import { recordDeliveryEvent } from "./delivery-store.ts";
import { createNovuWebhookHandler } from "./handler.ts";

// Svix gives up on an answer after 15 s and retries later: a connection that cannot be made
// within 5 s is answered 500 at once instead of holding the request and those queued behind it.
const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!, { max: 2, connectTimeoutSeconds: 5 });
// The endpoint's signing secret from Novu's dashboard (Webhooks -> the endpoint), whsec_...
const secret = Deno.env.get("NOVU_WEBHOOK_SECRET");
const webhook = secret ? new Webhook(secret) : undefined;

Deno.serve(createNovuWebhookHandler({
  verify: webhook && ((body, headers) => webhook.verify(body, headers)),
  record: (svixId, event, signal) => recordDeliveryEvent(sql, svixId, event, signal),
  logError: (message, error) => console.error(message, error),
}));
