import { corsHeaders } from "@supabase/supabase-js/cors";

type Handler = (request: Request) => Response | Promise<Response>;

/**
 * Lets a web page on another origin call a function, as Supabase's guide for browser-invoked
 * functions does ("CORS (Cross-Origin Resource Sharing) support for Invoking from the browser",
 * https://supabase.com/docs/guides/functions/cors): a preflight (`OPTIONS`) is answered `ok`
 * with the CORS headers, and every other answer, errors included, carries them. The headers are
 * the SDK's own (`@supabase/supabase-js/cors`, which the guide recommends from v2.95.0), so
 * they allow whatever headers `supabase.functions.invoke` sends.
 *
 * A preflight reaches the function even when it has `verify_jwt` (it carries no JWT), but the
 * gateway's own 401 for a missing or bad JWT carries no CORS headers: a browser sees it as a
 * failed fetch (local/functions-server/gateway.ts).
 */
export function withCors(handler: Handler): Handler {
  return async (request) => {
    if (request.method === "OPTIONS") return new Response("ok", { headers: corsHeaders });
    // The handlers build their own responses, whose headers may be changed; changing them in
    // place keeps the body as it was (a fixed length, not re-streamed as chunks).
    const response = await handler(request);
    for (const [name, value] of Object.entries(corsHeaders)) response.headers.set(name, value);
    return response;
  };
}
