import { createDbClient } from "../../../shared/db/client.ts";
import { loadTimedRules, readPlanSettings, recordFirings } from "../../../shared/db/rules-store.ts";
import { createPayloadValidator } from "../../../shared/dispatch/payload-validation.ts";
import { runScheduler } from "../../../shared/rules/scheduler.ts";
import { KICK_SECRET_ENV } from "../../../shared/http/kick.ts";
import { createSchedulerHandler } from "./handler.ts";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL")!);
const log = (message: string, context: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ function: "rules-scheduler", message, ...context }));
const validatePayload = createPayloadValidator();

Deno.serve(createSchedulerHandler({
  run: async (now) =>
    await runScheduler(
      {
        loadTimedRules: () => loadTimedRules(sql),
        recordFirings: (firings) => recordFirings(sql, firings),
        validatePayload,
        log,
      },
      now,
      await readPlanSettings(sql),
    ),
  now: () => new Date(),
  logError: (message, error) => log(message, { error: String(error) }),
  kickSecret: Deno.env.get(KICK_SECRET_ENV),
}));
