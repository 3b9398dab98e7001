/**
 * The local edge runtime's emulated limits (local/functions-server/limits.ts), end to end: a
 * second functions server serves the fixture functions of tests/e2e/fixtures/edge-functions
 * under small limits, and each test drives a worker past one of them.
 */
import assert from "node:assert/strict";
import { serviceRoleJwt } from "../support/jwt.ts";
import { waitFor } from "../support/wait.ts";

const REPO_ROOT = new URL("../../", import.meta.url);
const PORT = 54391;
const BASE = `http://127.0.0.1:${PORT}/functions/v1`;

async function startServer() {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--no-prompt", "local/functions-server/main.ts"],
    cwd: REPO_ROOT,
    env: {
      FUNCTIONS_PORT: String(PORT),
      XNOVU_FUNCTIONS_DIR: "tests/e2e/fixtures/edge-functions",
      SUPABASE_JWT_SECRET: Deno.env.get("SUPABASE_JWT_SECRET") ??
        "super-secret-jwt-token-with-at-least-32-characters-long",
      XNOVU_EDGE_CPU_MS: "1000",
      XNOVU_EDGE_MEMORY_MB: "128",
      XNOVU_EDGE_FUNCTION_LIMITS: JSON.stringify({ sleepy: { wallClockS: 6, idleTimeoutS: 2 } }),
    },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log = new Response(child.stderr).text();
  await waitFor(async () => {
    const response = await fetch(`${BASE}/hello`).catch(() => null);
    await response?.body?.cancel();
    return response ? true : undefined;
  }, { what: "the fixture functions server", timeoutMs: 30_000, intervalMs: 100 });
  return {
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      return await log;
    },
  };
}

const token = await serviceRoleJwt();
async function call(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${BASE}/${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: await response.json() };
}

const pidOf = async (path: string) => {
  const answer = await call(path);
  assert.ok(answer.status < 300, `${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.pid as number;
};

const WORKER_LIMIT = {
  code: "WORKER_LIMIT",
  message: "Function failed due to not having enough compute resources (please check logs)",
};

Deno.test("edge runtime limits: CPU, waitUntil CPU, memory, idle timeout, wall clock", async (t) => {
  const server = await startServer();
  try {
    await t.step(
      "a request burning CPU past the limit answers 546; the next gets a fresh worker; other functions carry on",
      async () => {
        const hello = await pidOf("hello");
        const burner = await pidOf("burn?ms=0");
        const burning = call("burn?ms=5000");
        // While one worker burns, another function's worker answers as usual.
        for (let i = 0; i < 5; i++) assert.equal(await pidOf("hello"), hello);
        const answer = await burning;
        assert.equal(answer.status, 546);
        assert.deepEqual(answer.body, WORKER_LIMIT);
        const next = await pidOf("burn?ms=0");
        assert.notEqual(next, burner, "a fresh worker serves the next request");
        assert.equal(await pidOf("hello"), hello, "the other function's worker was not touched");
      },
    );

    await t.step("CPU spent in EdgeRuntime.waitUntil work counts towards its request", async () => {
      const answer = await call("burn?background=4000");
      assert.equal(answer.status, 202);
      const busy = answer.body.pid as number;
      await waitFor(async () => {
        // A request in flight when the busy worker is ended answers 546 like the work itself.
        const next = await call("burn?ms=0");
        assert.ok([200, 546].includes(next.status), JSON.stringify(next.body));
        return next.status === 200 && next.body.pid !== busy ? true : undefined;
      }, {
        what: "the worker busy in the background to be ended",
        timeoutMs: 15_000,
        intervalMs: 200,
      });
    });

    await t.step("a worker past its memory limit answers 546; the next request works", async () => {
      const answer = await call("hog?mb=400");
      assert.equal(answer.status, 546, JSON.stringify(answer.body));
      assert.deepEqual(answer.body, WORKER_LIMIT);
      const after = await call("hog?mb=1");
      assert.equal(after.status, 200);
      assert.equal(after.body.heldMb, 1, "a fresh worker holds nothing from the last one");
    });

    await t.step("no answer within the request idle timeout is a 504", async () => {
      const answer = await call("sleepy?s=4");
      assert.equal(answer.status, 504);
    });

    await t.step(
      "a worker retires at half its wall clock: a fresh one takes new requests",
      async () => {
        const first = await pidOf("sleepy?s=0");
        await waitFor(async () => (await pidOf("sleepy?s=0")) !== first ? true : undefined, {
          what: "the sleepy worker to retire (3 s after it started)",
          timeoutMs: 15_000,
          intervalMs: 250,
        });
      },
    );
  } finally {
    const log = await server.stop();
    if (!log.includes("terminated: CPU Time exceeded")) console.error(log);
  }
});
