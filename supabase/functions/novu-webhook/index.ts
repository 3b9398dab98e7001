import { Webhook } from "svix";
import { createDbClient } from "../../../shared/db/client.ts";
import { recordDeliveryEvent } from "./delivery-store.ts";
import { createNovuWebhookHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!, { max: 2 });
// The endpoint's signing secret from Novu's dashboard (Webhooks -> the endpoint), whsec_...
const secret = Deno.env.get("NOVU_WEBHOOK_SECRET");
const webhook = secret ? new Webhook(secret) : undefined;

Deno.serve(createNovuWebhookHandler({
  verify: webhook && ((body, headers) => webhook.verify(body, headers)),
  record: (svixId, event) => recordDeliveryEvent(sql, svixId, event),
  logError: (message, error) => console.error(message, error),
}));
