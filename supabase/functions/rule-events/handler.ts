import { jsonResponse } from "../../../shared/http/errors.ts";
import { refuseUnlessServiceRolePost } from "../../../shared/http/service-role.ts";

export interface RuleEventsHandlerOptions {
  /** Starts (or joins) a drain of queue rule_events; resolves when it ends. */
  kick: () => Promise<void>;
  /** Keeps the instance alive for background work (`EdgeRuntime.waitUntil` on hosted). */
  waitUntil: (work: Promise<void>) => void;
}

/**
 * `POST /rule-events` (service role: the kick of notify.emit_event, the pg_cron tick): drains
 * the events queue in the background and answers 202 at once.
 */
export function createRuleEventsHandler(
  options: RuleEventsHandlerOptions,
): (request: Request) => Promise<Response> {
  return (request) => {
    const refusal = refuseUnlessServiceRolePost(request, "the rule events worker");
    if (refusal) return Promise.resolve(refusal);
    options.waitUntil(options.kick());
    return Promise.resolve(jsonResponse(202, { accepted: true }));
  };
}
