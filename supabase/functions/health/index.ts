import { createDbClient } from "../../../shared/db/client.ts";
import { cronJobCheck, databaseCheck, novuCheck, queueCheck } from "./checks.ts";
import { createHealthHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!, { max: 2 });

Deno.serve(createHealthHandler({
  checks: {
    database: databaseCheck(sql),
    queue: queueCheck(sql),
    cron: cronJobCheck(sql),
    // @novu/api's default server when no emulator or region URL is configured.
    novu: novuCheck({ apiUrl: Deno.env.get("NOVU_API_URL") ?? "https://api.novu.co", fetch }),
  },
  timeoutMs: 3_000,
  logError: (message, error) => console.error(message, error),
}));
