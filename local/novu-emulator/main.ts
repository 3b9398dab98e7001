/**
 * Serves the Novu emulator for the local platform (`./dev up` runs
 * `deno run --allow-all local/novu-emulator/main.ts`).
 *
 * Env: NOVU_EMULATOR_PORT (54329), NOVU_SECRET_KEY (xnovu-local-novu-secret),
 * NOVU_BRIDGE_URL (http://127.0.0.1:54321/functions/v1/novu-bridge),
 * NOVU_EMULATOR_CONCURRENCY (8).
 */
import { createEmulator } from "./emulator.ts";

const port = Number(Deno.env.get("NOVU_EMULATOR_PORT") ?? 54329);
const emulator = createEmulator({
  secretKey: Deno.env.get("NOVU_SECRET_KEY") ?? "xnovu-local-novu-secret",
  bridgeUrl: Deno.env.get("NOVU_BRIDGE_URL") ??
    "http://127.0.0.1:54321/functions/v1/novu-bridge",
  concurrency: Number(Deno.env.get("NOVU_EMULATOR_CONCURRENCY") ?? 8),
});

Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ hostname, port }) => console.log(`Novu emulator: http://${hostname}:${port}/`),
}, emulator.handle);
