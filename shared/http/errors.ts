/** The one JSON error shape every XNovu function answers with. */
export interface ErrorBody {
  error: string;
  message: string;
  [detail: string]: unknown;
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/**
 * `error` is a stable machine-readable code, `message` a human sentence;
 * `details` adds structured context (e.g. a template chain) without changing the shape.
 */
export function errorResponse(
  status: number,
  error: string,
  message: string,
  details: Record<string, unknown> = {},
): Response {
  const body: ErrorBody = { ...details, error, message };
  return jsonResponse(status, body);
}
