/**
 * The `novu-signature` header Novu Cloud sends to a bridge, and its verification.
 *
 * Format (Novu Cloud's ExecuteBridgeRequest and @novu/framework 2.13.2's `validateHmac`):
 * `t=<unix ms>,v1=<hex HMAC-SHA256(secretKey, "<t>.<body>")>`, where `<body>` is
 * `JSON.stringify` of the request's JSON body (`{}` for a GET such as `discover`). The framework
 * re-serialises the parsed body before hashing, so a signer must hash exactly the JSON text it
 * sends, produced by `JSON.stringify`. The framework accepts timestamps within 5 minutes either
 * side of its clock.
 *
 * This is the only place the format lives: the Novu emulator signs with it and bridge tests
 * verify with it.
 */
import { createHmac } from "node:crypto";
import { secretMatches } from "../http/secret.ts";

export const NOVU_SIGNATURE_HEADER = "novu-signature";

/** @novu/framework rejects signatures whose timestamp is further than this from its clock. */
export const NOVU_SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000;

// node:crypto's HMAC is native and synchronous: about a quarter of the CPU of WebCrypto's
// importKey + sign per call, and the emulator signs every bridge request.
function hmacSha256Hex(secret: string, message: string): string {
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** The `novu-signature` header value for `body` (the exact JSON text sent) at `timestampMs`. */
export function signNovuRequest(
  secret: string,
  body: string,
  timestampMs: number,
): Promise<string> {
  return Promise.resolve(`t=${timestampMs},v1=${hmacSha256Hex(secret, `${timestampMs}.${body}`)}`);
}

export type NovuSignatureCheck =
  | { valid: true }
  | { valid: false; reason: "missing" | "malformed" | "expired" | "mismatch" };

/** Splits `t=..,v1=..` like the framework does: first occurrence of each key wins. */
function parseSignatureHeader(header: string): { timestampMs?: number; v1?: string } {
  const fields = new Map<string, string>();
  for (const part of header.split(",")) {
    const separator = part.indexOf("=");
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (value && !fields.has(name)) fields.set(name, value);
  }
  const timestamp = Number(fields.get("t"));
  return {
    timestampMs: fields.has("t") && Number.isFinite(timestamp) ? timestamp : undefined,
    v1: fields.get("v1"),
  };
}

/**
 * Checks a `novu-signature` header against `body` (the JSON text received, or
 * `JSON.stringify(parsedBody)`), accepting timestamps within `toleranceMs` of `nowMs`.
 */
export async function verifyNovuSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  nowMs: number,
  toleranceMs: number = NOVU_SIGNATURE_TOLERANCE_MS,
): Promise<NovuSignatureCheck> {
  if (!header) return { valid: false, reason: "missing" };
  const { timestampMs, v1 } = parseSignatureHeader(header);
  if (timestampMs === undefined || !v1) return { valid: false, reason: "malformed" };
  if (Math.abs(nowMs - timestampMs) > toleranceMs) return { valid: false, reason: "expired" };
  const expected = hmacSha256Hex(secret, `${timestampMs}.${body}`);
  return (await secretMatches(v1, expected))
    ? { valid: true }
    : { valid: false, reason: "mismatch" };
}
