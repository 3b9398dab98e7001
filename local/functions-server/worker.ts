/**
 * One function's worker: a process of its own, as each hosted function runs in its own
 * isolate (https://supabase.com/docs/guides/troubleshooting/edge-function-546-error-response:
 * "an isolate for func_one will never serve func_two"). Started by the functions server
 * (pool.ts) as `worker.ts <function name> <index.ts URL>`; it imports the function, captures the handler its
 * `Deno.serve` call gives, and serves it on a port of its own on 127.0.0.1.
 *
 * It provides `EdgeRuntime.waitUntil` as the edge runtime does (supabase/edge-runtime
 * types/global.d.ts: `waitUntil<T>(promise: Promise<T>): Promise<T>`) and reports to the server,
 * on stdout lines that start with CONTROL_PREFIX, what the server cannot see from outside: its
 * port once ready, its memory before the function's code ran, and the CPU time at which its
 * oldest open activity (activities.ts) began. The server's lines on stdin: `unload <reason>`
 * dispatches `beforeunload` (edge-runtime ext/runtime/js/bootstrap.js: a cancelable
 * CustomEvent whose `detail.reason` is the snake_case WillTerminateReason) and ends the worker.
 */
import process from "node:process";
import { AsyncLocalStorage } from "node:async_hooks";
import { type Activity, createActivityTracker } from "./activities.ts";
import { CONTROL_PREFIX, forEachLine } from "./control.ts";

type Handler = (request: Request) => Response | Promise<Response>;

const functionName = Deno.args[0];
// The runtime's own memory, before any of the function's code: the memory limit counts the rest.
const baselineMb = Deno.memoryUsage().rss / 2 ** 20;
const encoder = new TextEncoder();
const control = (line: string) =>
  Deno.stdout.writeSync(encoder.encode(`${CONTROL_PREFIX}${line}\n`));
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/**
 * Reports the oldest open activity's start. Becoming busy is reported at once (a request that
 * burns CPU from its first instruction must already be counted); the later changes (a younger
 * start, or idle) only lower the charge, so they wait for the next REPORT_MS tick and many
 * requests share one write.
 */
const REPORT_MS = 10;
let reported: number | null = null;
let latest: number | null = null;
let reportTimer: number | undefined;
function reportOldest(start: number | null) {
  latest = start;
  if (reported === null && start !== null) {
    reported = start;
    control(`oldest ${start}`);
    return;
  }
  reportTimer ??= setTimeout(() => {
    reportTimer = undefined;
    if (latest === reported) return;
    reported = latest;
    control(`oldest ${latest ?? "-"}`);
  }, REPORT_MS);
}
const tracker = createActivityTracker(cpuMs, reportOldest);
const currentActivity = new AsyncLocalStorage<Activity>();

// Requests whose handler has not returned yet.
const responding = new WeakSet<Activity>();

function waitUntil<T>(promise: Promise<T>): Promise<T> {
  const current = currentActivity.getStore();
  // Work handed over while a request is handled counts towards that request; any other (the
  // boot's, or a timer's, which runs in the context of the request that set it) is an activity
  // of its own from now.
  const activity = current && responding.has(current) && tracker.hold(current)
    ? current
    : tracker.open();
  promise.finally(() => tracker.release(activity)).catch(() => {});
  return promise;
}
(globalThis as { EdgeRuntime?: unknown }).EdgeRuntime = { waitUntil };

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

/** How long `beforeunload` handlers' waitUntil work may run before the worker ends. */
const UNLOAD_GRACE_MS = 1_000;

async function waitForIdle(maxMs: number) {
  const until = Date.now() + maxMs;
  while (tracker.size > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Ends the worker when the server is gone (its stdin closes) or asks it to unload.
async function listenToServer() {
  await forEachLine(Deno.stdin.readable, (line) => {
    const [command, reason] = line.split(" ");
    if (command !== "unload") return;
    globalThis.dispatchEvent(
      new CustomEvent("beforeunload", { cancelable: true, detail: { reason } }),
    );
    // Work the handlers handed to waitUntil (say, a last kick) gets a moment to go out.
    void waitForIdle(UNLOAD_GRACE_MS).then(() => Deno.exit(0));
  });
  Deno.exit(0);
}
void listenToServer();

let handler: Handler;
try {
  handler = await captureHandler(new URL(Deno.args[1]));
} catch (error) {
  console.error(`function ${functionName} failed to load:`, error);
  control("boot-error");
  Deno.exit(1);
}

/**
 * The request body as the function sees it. A function that refuses a body early (a 413 from
 * shared/http/body.ts) cancels its stream; cancelling the connection's own body would close the
 * connection under the gateway while it still sends the body (a broken pipe there, and the
 * answer lost). So the rest is read and dropped instead (`dropped` settles when it is), and the
 * answer goes back once the body is in, as the single process used to answer.
 */
function shielded(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const rest = { dropped: null as Promise<void> | null };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel() {
      rest.dropped = (async () => {
        try {
          while (!(await reader.read()).done) { /* dropped */ }
        } catch {
          // the gateway stopped sending
        }
      })();
    },
  });
  return { stream, rest };
}

Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => control(`ready ${port} ${baselineMb.toFixed(1)}`),
}, async (request) => {
  const body = request.body === null ? null : shielded(request.body);
  const forFunction = body === null
    ? request
    // Built from the parts: a Request built from the server's request would take its body.
    : new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: body.stream,
      signal: request.signal,
      duplex: "half",
    } as RequestInit);
  const activity = tracker.open();
  responding.add(activity);
  let response: Response;
  try {
    response = await currentActivity.run(activity, () => handler(forFunction));
  } catch (error) {
    console.error(`function ${functionName} threw:`, error);
    response = Response.json({ error: "internal_error", message: "the function failed" }, {
      status: 500,
    });
  } finally {
    responding.delete(activity);
    tracker.release(activity);
  }
  // Reading the refused rest is the runtime's work, not the request's.
  if (body?.rest.dropped) await body.rest.dropped;
  return response;
});
