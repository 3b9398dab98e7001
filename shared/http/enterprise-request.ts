import type { z } from "zod";
import { type CallerClaims, ClaimsError, claimsFromAuthorization } from "./claims.ts";
import {
  BodyTooLargeError,
  bodyTooLargeResponse,
  InvalidJsonError,
  readBoundedJson,
} from "./body.ts";
import { errorResponse } from "./errors.ts";

/** Decided by the database's one enterprise-access helper (see shared/db/enterprise-access.ts). */
export type CallerCanAccessEnterprise = (
  claims: CallerClaims,
  enterpriseId: string,
) => Promise<boolean>;

export interface EnterpriseRequest<T> {
  claims: CallerClaims;
  body: T;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`)
    .join("; ");
}

/**
 * What every enterprise-scoped POST function checks before its own work, in this order:
 * POST (405), the caller's claims (401), a body of at most `MAX_REQUEST_BODY_BYTES` (413
 * PAYLOAD_TOO_LARGE, before it is parsed), a JSON body (400 INVALID_JSON), the body's schema
 * (400 INVALID_REQUEST naming each bad field), and the caller's access to the body's
 * `enterprise_id` (403). Access is checked before any lookup, so what an outsider is told
 * never depends on the enterprise's data. Returns the refusal, or the claims and the body.
 */
export async function readEnterpriseRequest<T extends { enterprise_id: string }>(
  request: Request,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  callerCanAccessEnterprise: CallerCanAccessEnterprise,
): Promise<EnterpriseRequest<T> | Response> {
  if (request.method !== "POST") {
    return errorResponse(405, "METHOD_NOT_ALLOWED", "use POST");
  }
  let claims: CallerClaims;
  try {
    claims = claimsFromAuthorization(request.headers.get("authorization"));
  } catch (error) {
    if (error instanceof ClaimsError) return errorResponse(401, "UNAUTHORIZED", error.message);
    throw error;
  }
  let json: unknown;
  try {
    json = await readBoundedJson(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return bodyTooLargeResponse(error);
    if (error instanceof InvalidJsonError) return errorResponse(400, "INVALID_JSON", error.message);
    throw error;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return errorResponse(400, "INVALID_REQUEST", describeIssues(parsed.error));
  }
  if (!(await callerCanAccessEnterprise(claims, parsed.data.enterprise_id))) {
    return errorResponse(
      403,
      "FORBIDDEN",
      `the caller has no access to enterprise ${parsed.data.enterprise_id}`,
    );
  }
  return { claims, body: parsed.data };
}
