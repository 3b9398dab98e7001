/**
 * Caller claims from the `Authorization: Bearer <jwt>` header.
 *
 * Decode only: the Supabase gateway (`verify_jwt = true`) has verified the signature
 * before the function runs, so re-verifying here would only duplicate the secret.
 * Which enterprises the claims grant (`app_metadata.enterprise_ids`, docs/internals.md) is
 * decided by one helper in the database, `notify_internal.caller_enterprise_ids()`, given
 * `raw` as `request.jwt.claims` (see `shared/db/enterprise-access.ts`), never re-implemented
 * here.
 */
export interface CallerClaims {
  role: string;
  subject: string | null;
  /** The decoded payload, passed as-is to `request.jwt.claims` so RLS sees what the gateway saw. */
  raw: Record<string, unknown>;
}

export class ClaimsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClaimsError";
  }
}

function decodeBase64Url(segment: string): string {
  const base64 = segment.replaceAll("-", "+").replaceAll("_", "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Throws `ClaimsError` when the header is missing or not a decodable JWT. */
export function claimsFromAuthorization(header: string | null): CallerClaims {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (!match) throw new ClaimsError("Authorization header with a Bearer token is required");
  const segments = match[1].split(".");
  if (segments.length !== 3) throw new ClaimsError("Bearer token is not a JWT");
  let payload: unknown;
  try {
    payload = JSON.parse(decodeBase64Url(segments[1]));
  } catch {
    throw new ClaimsError("Bearer token payload is not base64url JSON");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new ClaimsError("Bearer token payload is not a JSON object");
  }
  const raw = payload as Record<string, unknown>;
  if (typeof raw.role !== "string" || raw.role === "") {
    throw new ClaimsError("Bearer token has no role claim");
  }
  return {
    role: raw.role,
    subject: typeof raw.sub === "string" ? raw.sub : null,
    raw,
  };
}
