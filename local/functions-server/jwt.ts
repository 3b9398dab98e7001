/**
 * The gateway check `verify_jwt = true` performs before a Supabase edge function runs:
 * an HS256 JWT signed with the project's JWT secret and not expired.
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
  if (typeof claims.exp === "number" && claims.exp <= nowSeconds) {
    return { valid: false, reason: "token expired" };
  }
  return { valid: true, claims };
}
