/**
 * The local edge runtime: serves every function in supabase/functions under
 * http://127.0.0.1:54321/functions/v1/<name>, the way `supabase functions serve` does. Each
 * function runs in worker processes of its own (worker.ts, pool.ts) under the hosted runtime's
 * limits (limits.ts; settings in README, "Local platform"); this process is the gateway in
 * front of them (gateway.ts: routing and `verify_jwt`).
 */
import { parse as parseToml } from "smol-toml";
import { createGateway, type FunctionEntry } from "./gateway.ts";
import { readEdgeLimits } from "./limits.ts";
import { createFunctionPool, type FunctionPool, SAMPLE_MS } from "./pool.ts";

const root = new URL("../../", import.meta.url);
// Another folder of functions (the e2e tests of the limits serve fixtures this way).
const functionsDir = Deno.env.get("XNOVU_FUNCTIONS_DIR")
  ? new URL(`${Deno.env.get("XNOVU_FUNCTIONS_DIR")!.replace(/\/?$/, "/")}`, `file://${Deno.cwd()}/`)
  : new URL("supabase/functions/", root);

type FunctionsConfig = { functions?: Record<string, { verify_jwt?: boolean }> };

async function loadFunctions(): Promise<Map<string, FunctionEntry & { pool: FunctionPool }>> {
  const config = parseToml(
    await Deno.readTextFile(new URL("supabase/config.toml", root)),
  ) as FunctionsConfig;
  const env = (name: string) => Deno.env.get(name);
  const functions = new Map<string, FunctionEntry & { pool: FunctionPool }>();
  for await (const entry of Deno.readDir(functionsDir)) {
    if (!entry.isDirectory || entry.name.startsWith("_")) continue;
    const indexUrl = new URL(`${entry.name}/index.ts`, functionsDir);
    try {
      await Deno.stat(indexUrl);
    } catch {
      continue;
    }
    const pool = createFunctionPool(entry.name, indexUrl, readEdgeLimits(env, entry.name));
    functions.set(entry.name, {
      pool,
      handler: pool.fetch,
      // Supabase verifies JWTs unless a function opts out.
      verifyJwt: config.functions?.[entry.name]?.verify_jwt ?? true,
    });
  }
  return functions;
}

const jwtSecret = Deno.env.get("SUPABASE_JWT_SECRET");
if (!jwtSecret) throw new Error("SUPABASE_JWT_SECRET is required");
const functions = await loadFunctions();
// Every worker starts at once, as the single process used to import every function: the
// dispatcher's boot drain runs after a restart without waiting for a kick.
for (const { pool } of functions.values()) pool.warm();
let checking = false;
setInterval(async () => {
  if (checking) return;
  checking = true;
  try {
    await Promise.all([...functions.values()].map(({ pool }) => pool.check()));
  } finally {
    checking = false;
  }
}, SAMPLE_MS);

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
