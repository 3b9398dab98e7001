import { createTemplateEngine, type TemplateEngine } from "../templates/mod.ts";
import type { Sql } from "./client.ts";
import { listenForTemplateChanges, TEMPLATE_CACHE_TTL_MS } from "./template-change-listener.ts";
import { createDbTemplateLoader } from "./template-loader.ts";

/**
 * The template engine a function keeps for its lifetime, so its cache spans requests. The
 * loader filters by the notification's enterprise explicitly, because the functions' pool
 * connects with a role that bypasses RLS. Template row changes invalidate the cache at once
 * (NOTIFY); the TTL only bounds staleness while the LISTEN connection is down.
 */
export function createLiveTemplateEngine(sql: Sql): TemplateEngine {
  const engine = createTemplateEngine({
    loader: createDbTemplateLoader(sql),
    cacheTtlMs: TEMPLATE_CACHE_TTL_MS,
  });
  listenForTemplateChanges({
    listen: (channel, onNotify, onListen) => sql.listen(channel, onNotify, onListen),
    engine,
    logError: (message, error) => console.error(message, error),
  });
  return engine;
}
