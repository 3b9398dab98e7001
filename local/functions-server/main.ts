/**
 * The local edge runtime: serves every function in supabase/functions under
 * http://127.0.0.1:54321/functions/v1/<name>, the way `supabase functions serve` does.
 * Each function keeps the `Deno.serve(handler)` shape that deploy expects; this server
 * captures that handler while importing the function's index.ts.
 */
import { parse as parseToml } from "smol-toml";
import { createGateway, type FunctionEntry, type Handler } from "./gateway.ts";

const root = new URL("../../", import.meta.url);
const functionsDir = new URL("supabase/functions/", root);

type FunctionsConfig = { functions?: Record<string, { verify_jwt?: boolean }> };

async function captureHandler(indexUrl: URL): Promise<Handler> {
  const realServe = Deno.serve;
  let captured: Handler | undefined;
  // deno-lint-ignore no-explicit-any
  (Deno as any).serve = (...args: unknown[]) => {
    const handler = args.find((arg) => typeof arg === "function") ??
      (args[0] as { handler?: Handler } | undefined)?.handler;
    captured = handler as Handler;
    return {
      finished: new Promise(() => {}),
      shutdown: () => Promise.resolve(),
      ref() {},
      unref() {},
    };
  };
  try {
    await import(indexUrl.href);
  } finally {
    // deno-lint-ignore no-explicit-any
    (Deno as any).serve = realServe;
  }
  if (!captured) throw new Error(`${indexUrl.pathname} did not call Deno.serve`);
  return captured;
}

async function loadFunctions(): Promise<Map<string, FunctionEntry>> {
  const config = parseToml(
    await Deno.readTextFile(new URL("supabase/config.toml", root)),
  ) as FunctionsConfig;
  const functions = new Map<string, FunctionEntry>();
  for await (const entry of Deno.readDir(functionsDir)) {
    if (!entry.isDirectory || entry.name.startsWith("_")) continue;
    const indexUrl = new URL(`${entry.name}/index.ts`, functionsDir);
    try {
      await Deno.stat(indexUrl);
    } catch {
      continue;
    }
    functions.set(entry.name, {
      handler: await captureHandler(indexUrl).catch((error) => {
        // One broken function must not take the others down, as with the real runtime.
        console.error(`function ${entry.name} failed to load:`, error);
        return () =>
          Response.json({ error: "boot_error", message: `function ${entry.name} failed to load` }, {
            status: 503,
          });
      }),
      // Supabase verifies JWTs unless a function opts out.
      verifyJwt: config.functions?.[entry.name]?.verify_jwt ?? true,
    });
  }
  return functions;
}

// The edge runtime runs each function in its own worker: an error a function leaves uncaught
// (say, a database socket failing while the database restarts) ends that worker, and the next
// request gets a fresh one. In this single process it must not end every function at once;
// it is logged and the function's clients reconnect on their next use.
globalThis.addEventListener("error", (event) => {
  console.error("uncaught error in a function:", event.error);
  event.preventDefault();
});
globalThis.addEventListener("unhandledrejection", (event) => {
  console.error("unhandled rejection in a function:", event.reason);
  event.preventDefault();
});

const jwtSecret = Deno.env.get("SUPABASE_JWT_SECRET");
if (!jwtSecret) throw new Error("SUPABASE_JWT_SECRET is required");
const functions = await loadFunctions();
const port = Number(Deno.env.get("FUNCTIONS_PORT") ?? 54321);
Deno.serve(
  {
    hostname: "127.0.0.1",
    port,
    onListen: () =>
      console.log(`functions server on :${port}: ${[...functions.keys()].join(", ") || "(none)"}`),
  },
  createGateway({ functions, jwtSecret }),
);
