import { createKickHandler, type KickHandlerOptions } from "../../../shared/http/kick-handler.ts";

export type RuleEventsHandlerOptions = KickHandlerOptions;

/**
 * `POST /rule-events` (the database's kicks: notify.emit_event, the pg_cron tick): drains
 * the events queue in the background and answers 202 at once.
 */
export function createRuleEventsHandler(
  options: RuleEventsHandlerOptions,
): (request: Request) => Promise<Response> {
  return createKickHandler("the rule events worker", options);
}
