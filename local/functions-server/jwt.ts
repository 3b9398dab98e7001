/**
 * The gateway check `verify_jwt = true` performs before a Supabase edge function runs:
 * an HS256 JWT signed with the project's JWT secret, with an `exp` in the future and no `nbf`
 * in the future.
 */
const encoder = new TextEncoder();

function base64UrlToBytes(segment: string): Uint8Array<ArrayBuffer> {
  const base64 = segment.replaceAll("-", "+").replaceAll("_", "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}

export type JwtVerdict = { valid: true; claims: Record<string, unknown> } | {
  valid: false;
  reason: string;
};

export async function verifyHs256Jwt(
  token: string,
  secret: string,
  nowSeconds: number,
): Promise<JwtVerdict> {
  const parts = token.split(".");
  if (parts.length !== 3) return { valid: false, reason: "malformed token" };
  const [headerPart, payloadPart, signaturePart] = parts;
  let header: { alg?: string };
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(base64UrlToBytes(headerPart)));
    claims = JSON.parse(new TextDecoder().decode(base64UrlToBytes(payloadPart)));
  } catch {
    return { valid: false, reason: "malformed token" };
  }
  if (header.alg !== "HS256") return { valid: false, reason: "unsupported algorithm" };
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const signed = encoder.encode(`${headerPart}.${payloadPart}`);
  const signatureOk = await crypto.subtle.verify(
    "HMAC",
    key,
    base64UrlToBytes(signaturePart),
    signed,
  );
  if (!signatureOk) return { valid: false, reason: "invalid signature" };
  return temporalClaimsVerdict(claims, nowSeconds) ?? { valid: true, claims };
}

/**
 * The time claims, as strictly as the hosted gateway: `supabase functions serve` verifies with
 * `jose.jwtVerify` (supabase/cli internal/functions/serve/templates/main.ts), which refuses an
 * `exp`, `nbf` or `iat` that is not a number (RFC 7519 NumericDate), an expired `exp` and a
 * future `nbf`; supabase/cli#5560 keeps refusing non-numeric time claims in the newer
 * runtime. The hosted gateway also refuses a token without `exp` (issue 7, finding 11, probed
 * against a hosted project), so `exp` is required here too. No clock skew is allowed, as in
 * jose's default.
 */
function temporalClaimsVerdict(
  claims: Record<string, unknown>,
  nowSeconds: number,
): JwtVerdict | null {
  for (const name of ["exp", "nbf", "iat"]) {
    if (name in claims && (typeof claims[name] !== "number" || !Number.isFinite(claims[name]))) {
      return { valid: false, reason: `"${name}" claim must be a number` };
    }
  }
  if (claims.exp === undefined) return { valid: false, reason: 'missing "exp" claim' };
  if ((claims.exp as number) <= nowSeconds) return { valid: false, reason: "token expired" };
  if (claims.nbf !== undefined && (claims.nbf as number) > nowSeconds) {
    return { valid: false, reason: "token not yet valid (nbf)" };
  }
  return null;
}
