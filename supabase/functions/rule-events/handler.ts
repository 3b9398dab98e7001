import { jsonResponse } from "../../../shared/http/errors.ts";
import { refuseUnlessKicked } from "../../../shared/http/kick.ts";

export interface RuleEventsHandlerOptions {
  /** Starts (or joins) a drain of queue rule_events; resolves when it ends. */
  kick: () => Promise<void>;
  /** Keeps the instance alive for background work (`EdgeRuntime.waitUntil` on hosted). */
  waitUntil: (work: Promise<void>) => void;
  /** The kick secret (shared/http/kick.ts). */
  kickSecret: string | undefined;
}

/**
 * `POST /rule-events` (the database's kicks: notify.emit_event, the pg_cron tick): drains
 * the events queue in the background and answers 202 at once.
 */
export function createRuleEventsHandler(
  options: RuleEventsHandlerOptions,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const refusal = await refuseUnlessKicked(request, "the rule events worker", options.kickSecret);
    if (refusal) return refusal;
    options.waitUntil(options.kick());
    return jsonResponse(202, { accepted: true });
  };
}
