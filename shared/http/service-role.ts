import { ClaimsError, claimsFromAuthorization } from "./claims.ts";
import { errorResponse } from "./errors.ts";

/**
 * The refusal for a request that is not a POST from the service role (pg_net kicks and pg_cron
 * ticks carry the service role key), or null when it is one.
 */
export function refuseUnlessServiceRolePost(request: Request, what: string): Response | null {
  if (request.method !== "POST") {
    return errorResponse(405, "METHOD_NOT_ALLOWED", `${what} is started with POST`);
  }
  try {
    const { role } = claimsFromAuthorization(request.headers.get("authorization"));
    if (role !== "service_role") {
      return errorResponse(403, "FORBIDDEN", `only the service role may start ${what}`);
    }
  } catch (error) {
    if (!(error instanceof ClaimsError)) throw error;
    return errorResponse(401, "UNAUTHORIZED", error.message);
  }
  return null;
}
