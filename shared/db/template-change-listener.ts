import type { InvalidateSelector, TemplateEngine } from "../templates/mod.ts";

/** Channel of the NOTIFY sent for every changed `notify.ent_notification_template` row. */
export const TEMPLATE_CHANGED_CHANNEL = "xnovu_template_changed";

/**
 * Cache TTL for engines kept fresh by `listenForTemplateChanges`: invalidation, not expiry,
 * keeps them current, so the TTL only bounds how stale a cache gets while LISTEN is down.
 */
export const TEMPLATE_CACHE_TTL_MS = 60_000;

/**
 * postgres.js `sql.listen`: `onListen` runs after every successful LISTEN, the first and each
 * one after a reconnect.
 */
export type Listen = (
  channel: string,
  onNotify: (payload: string) => void,
  onListen: () => void,
) => Promise<unknown>;

export interface TemplateChangeListenerOptions {
  listen: Listen;
  engine: Pick<TemplateEngine, "invalidate" | "clear">;
  logError: (message: string, error: unknown) => void;
  /** Wait before retrying a LISTEN that failed to start. */
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The engine selector for a `{"id", "template_key", "enterprise_id"}` payload, or null. */
export function selectorFromPayload(payload: string): InvalidateSelector | null {
  let change: unknown;
  try {
    change = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof change !== "object" || change === null) return null;
  const { id, template_key, enterprise_id } = change as Record<string, unknown>;
  if (typeof id !== "number") return null;
  if (template_key !== null && typeof template_key !== "string") return null;
  if (enterprise_id !== null && typeof enterprise_id !== "string") return null;
  return { id, ...(template_key !== null && { key: template_key }), enterpriseId: enterprise_id };
}

/**
 * Keeps an engine's cache in step with the template rows: each NOTIFY drops what depends on
 * the changed row. Changes made while the connection was down are never announced, so every
 * (re)LISTEN clears the whole cache; the engine's TTL bounds staleness while it is down.
 * Resolves once listening; a LISTEN that fails to start is retried until it succeeds.
 */
export async function listenForTemplateChanges(
  options: TemplateChangeListenerOptions,
): Promise<void> {
  const { listen, engine, logError } = options;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const sleep = options.sleep ??
    ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const onNotify = (payload: string) => {
    const selector = selectorFromPayload(payload);
    if (selector) {
      engine.invalidate(selector);
    } else {
      logError("template change listener: unreadable payload, clearing the cache", payload);
      engine.clear();
    }
  };
  for (;;) {
    try {
      await listen(TEMPLATE_CHANGED_CHANNEL, onNotify, () => engine.clear());
      return;
    } catch (error) {
      logError("template change listener: LISTEN failed, retrying", error);
      await sleep(retryDelayMs);
    }
  }
}
