/**
 * Request bodies read with a byte bound, before any parsing or signature work: a body is
 * refused as soon as its `content-length` or the bytes streamed so far pass the bound, so
 * no request can make a function hold more than that in memory.
 */
import { errorResponse } from "./errors.ts";

/** The largest request body any XNovu function reads (README, "Limits"). */
export const MAX_REQUEST_BODY_BYTES = 1_048_576;

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`request body exceeds ${maxBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** The body's bytes; throws `BodyTooLargeError` past `maxBytes`, without reading the rest. */
export async function readBoundedBody(
  request: Request,
  maxBytes = MAX_REQUEST_BODY_BYTES,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await request.body?.cancel();
    throw new BodyTooLargeError(maxBytes);
  }
  if (request.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The one 413 answer, in the `{ error, message }` shape. */
export function bodyTooLargeResponse(error: BodyTooLargeError): Response {
  return errorResponse(413, "PAYLOAD_TOO_LARGE", error.message);
}

export class InvalidJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidJsonError";
  }
}

/**
 * A bounded body decoded as strict UTF-8 and parsed as JSON. Throws `BodyTooLargeError` or
 * `InvalidJsonError` (naming what was wrong).
 */
export async function readBoundedJson(
  request: Request,
  maxBytes = MAX_REQUEST_BODY_BYTES,
): Promise<unknown> {
  const bytes = await readBoundedBody(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidJsonError("request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidJsonError("request body is not valid JSON");
  }
}
