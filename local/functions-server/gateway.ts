/**
 * Routes `/functions/v1/<name>` to each edge function's handler, enforcing the
 * function's `verify_jwt` setting first, as the Supabase gateway does.
 */
import { verifyHs256Jwt } from "./jwt.ts";

export type Handler = (request: Request) => Response | Promise<Response>;

export type FunctionEntry = { handler: Handler; verifyJwt: boolean };

export type GatewayOptions = {
  functions: Map<string, FunctionEntry>;
  jwtSecret: string;
  nowSeconds?: () => number;
};

function jsonError(status: number, error: string, message: string): Response {
  return Response.json({ error, message }, { status });
}

export function createGateway(options: GatewayOptions): Handler {
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  return async (request) => {
    const match = new URL(request.url).pathname.match(/^\/functions\/v1\/([^/]+)/);
    const entry = match ? options.functions.get(match[1]) : undefined;
    if (!match || !entry) {
      return jsonError(404, "not_found", "no such function");
    }
    // A CORS preflight carries no JWT: it reaches the function unchecked, and the gateway's
    // own 401 carries no CORS headers (a browser sees a failed fetch), as
    // `supabase functions serve` does (supabase/cli internal/functions/serve/templates/main.ts:
    // `req.method !== "OPTIONS" && verifyJWT`) and as the hosted gateway does (a bad token's
    // 401 without CORS headers: supabase/supabase#9373, supabase/edge-runtime#213, open).
    if (entry.verifyJwt && request.method !== "OPTIONS") {
      const token = request.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
      if (!token) return jsonError(401, "unauthorized", "missing authorization header");
      const verdict = await verifyHs256Jwt(token, options.jwtSecret, nowSeconds());
      if (!verdict.valid) return jsonError(401, "unauthorized", `invalid JWT: ${verdict.reason}`);
    }
    try {
      return await entry.handler(request);
    } catch (error) {
      console.error(`function ${match[1]} threw:`, error);
      return jsonError(500, "internal_error", "the function failed");
    }
  };
}
