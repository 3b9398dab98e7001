import { errorResponse, jsonResponse } from "../../../shared/http/errors.ts";
import { refuseUnlessKicked } from "../../../shared/http/kick.ts";
import { type FiringResult, summarise } from "../../../shared/rules/record.ts";

export interface SchedulerHandlerDependencies {
  /** One scheduler run as of `now`. */
  run: (now: Date) => Promise<FiringResult[]>;
  /** The real clock; a request may name another "now" (tests, backfills). */
  now: () => Date;
  logError: (message: string, error: unknown) => void;
  /** The kick secret (shared/http/kick.ts). */
  kickSecret: string | undefined;
}

/**
 * `POST /rules-scheduler` (the database's kicks: the pg_cron tick, rule edits): materialises the
 * firings due within the look-ahead window and answers with their outcomes. The optional body
 * `{"now": "<ISO instant>"}` evaluates the rules as of that instant instead of the clock.
 */
export function createSchedulerHandler(
  dependencies: SchedulerHandlerDependencies,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const refusal = await refuseUnlessKicked(
      request,
      "the rules scheduler",
      dependencies.kickSecret,
    );
    if (refusal) return refusal;
    let now = dependencies.now();
    const text = await request.text();
    if (text.trim() !== "") {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return errorResponse(400, "INVALID_JSON", "request body is not valid JSON");
      }
      const requested = (body as { now?: unknown } | null)?.now;
      if (requested !== undefined) {
        if (typeof requested !== "string" || Number.isNaN(Date.parse(requested))) {
          return errorResponse(400, "INVALID_REQUEST", "now: must be an ISO 8601 instant");
        }
        now = new Date(requested);
      }
    }
    try {
      const results = await dependencies.run(now);
      return jsonResponse(200, { now: now.toISOString(), outcomes: summarise(results), results });
    } catch (error) {
      dependencies.logError("rules scheduler run failed", error);
      return errorResponse(500, "INTERNAL", "the scheduler run failed; see the logs");
    }
  };
}
