import { errorResponse } from "./errors.ts";
import { bearerToken, secretMatches } from "./secret.ts";

/**
 * The secret the database's kicks (pg_net calls from notify_internal.kick_function: enqueue
 * kicks, pg_cron sweeps and ticks) carry as `Authorization: Bearer <secret>`, and the functions
 * they start check. It is XNovu's own, not a Supabase API key: Supabase's new secret keys
 * (`sb_secret_...`) are not JWTs, so a gateway JWT check (`verify_jwt`) cannot tell the database
 * from anyone else under both key models; these functions set `verify_jwt = false` and check
 * this secret themselves. Function secret `XNOVU_KICK_SECRET`; the database reads the same value
 * as setting `kick_secret` (Vault secret `xnovu_kick_secret` on hosted).
 */
export const KICK_SECRET_ENV = "XNOVU_KICK_SECRET";

/**
 * The refusal for a request that is not a POST carrying the kick secret, or null when it is one.
 * The comparison takes the same time wherever a guess differs (shared/http/secret.ts).
 */
export async function refuseUnlessKicked(
  request: Request,
  what: string,
  kickSecret: string | undefined,
): Promise<Response | null> {
  if (request.method !== "POST") {
    return errorResponse(405, "METHOD_NOT_ALLOWED", `${what} is started with POST`);
  }
  if (!kickSecret) {
    return errorResponse(
      503,
      "NOT_CONFIGURED",
      `${KICK_SECRET_ENV} is not set, so ${what} cannot tell the database's kicks from others`,
    );
  }
  if (!(await secretMatches(bearerToken(request), kickSecret))) {
    return errorResponse(
      401,
      "UNAUTHORIZED",
      `${what} is started by the database's kicks only (Authorization: Bearer <kick secret>)`,
    );
  }
  return null;
}
