import { createDbClient } from "../../../shared/db/client.ts";
import { bearerToken, secretMatches } from "../../../shared/http/secret.ts";
import {
  bridgeCheck,
  cronJobCheck,
  databaseCheck,
  kickCheck,
  novuCheck,
  queueCheck,
} from "./checks.ts";
import { createHealthHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!, { max: 2 });
const novuSecretKey = Deno.env.get("NOVU_SECRET_KEY") ?? "";

Deno.serve(createHealthHandler({
  checks: {
    database: databaseCheck(sql),
    queue: queueCheck(sql),
    kicks: kickCheck(sql),
    cron: cronJobCheck(sql),
    // @novu/api's default server when no emulator or region URL is configured.
    novu: novuCheck({
      apiUrl: Deno.env.get("NOVU_API_URL") ?? "https://api.novu.co",
      secretKey: novuSecretKey,
      fetch,
    }),
    bridge: bridgeCheck({
      // The URL Novu Cloud is synced with; hosted, the project's own novu-bridge function.
      bridgeUrl: Deno.env.get("NOVU_BRIDGE_URL") ??
        `${Deno.env.get("SUPABASE_URL")}/functions/v1/novu-bridge`,
      secretKey: novuSecretKey,
      fetch,
      now: () => Date.now(),
    }),
  },
  timeoutMs: 3_000,
  mayReadDetails: (request) =>
    secretMatches(bearerToken(request), Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")),
  logError: (message, error) => console.error(message, error),
}));
