/**
 * Serves the Novu emulator for the local platform (`./dev up` runs
 * `deno run --allow-all local/novu-emulator/main.ts`).
 *
 * Env: NOVU_EMULATOR_PORT (54329), NOVU_SECRET_KEY (xnovu-local-novu-secret),
 * NOVU_EMULATOR_CONCURRENCY (8). The bridge is the one of the last sync (novu-sync function).
 * NOVU_WEBHOOK_URL and NOVU_WEBHOOK_SECRET (message webhooks, none without both).
 * NOVU_EMULATOR_WORKFLOWS_FILE: where the synced workflows are kept across restarts, as Novu
 * Cloud keeps them (unset: in memory only).
 */
import { createEmulator } from "./emulator.ts";

const port = Number(Deno.env.get("NOVU_EMULATOR_PORT") ?? 54329);
const emulator = createEmulator({
  secretKey: Deno.env.get("NOVU_SECRET_KEY") ?? "xnovu-local-novu-secret",
  concurrency: Number(Deno.env.get("NOVU_EMULATOR_CONCURRENCY") ?? 8),
  webhookUrl: Deno.env.get("NOVU_WEBHOOK_URL"),
  webhookSecret: Deno.env.get("NOVU_WEBHOOK_SECRET"),
  workflowsFile: Deno.env.get("NOVU_EMULATOR_WORKFLOWS_FILE"),
});

Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ hostname, port }) => console.log(`Novu emulator: http://${hostname}:${port}/`),
}, emulator.handle);
