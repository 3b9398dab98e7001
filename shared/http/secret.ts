import { timingSafeEqual } from "node:crypto";

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * Whether `presented` equals `expected`, in time that does not depend on where they differ or on
 * `presented`'s length: both are hashed to 32 bytes first, then compared with `timingSafeEqual`.
 * An empty `expected` (a secret that was never configured) matches nothing.
 */
export async function secretMatches(
  presented: string | null | undefined,
  expected: string | undefined,
): Promise<boolean> {
  if (!expected || presented === null || presented === undefined) return false;
  const [a, b] = await Promise.all([sha256(presented), sha256(expected)]);
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request: Request): string | null {
  const match = request.headers.get("authorization")?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1] : null;
}
