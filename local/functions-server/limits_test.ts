import assert from "node:assert/strict";
import {
  HOSTED_LIMITS,
  judgeWorker,
  readEdgeLimits,
  workerLimitResponse,
  type WorkerReading,
} from "./limits.ts";

const env = (values: Record<string, string>) => (name: string) => values[name];

const reading = (overrides: Partial<WorkerReading> = {}): WorkerReading => ({
  nowMs: 1_000_000,
  readyAtMs: 1_000_000,
  cpuMs: 500,
  oldestOpenCpuMs: null,
  rssMb: 120,
  baselineMb: 40,
  retired: false,
  ...overrides,
});

Deno.test("hosted values by default: 2 s CPU, 150 s wall clock, 256 MB, 150 s idle timeout", () => {
  assert.deepEqual(readEdgeLimits(env({}), "trigger"), HOSTED_LIMITS);
  assert.deepEqual(HOSTED_LIMITS, {
    cpuMsPerRequest: 2_000,
    wallClockMs: 150_000,
    memoryMb: 256,
    requestIdleTimeoutMs: 150_000,
  });
});

Deno.test("limits change for every function, for one function, or are turned off", () => {
  const settings = env({
    XNOVU_EDGE_CPU_MS: "500",
    XNOVU_EDGE_WALL_CLOCK_S: "400",
    XNOVU_EDGE_FUNCTION_LIMITS: JSON.stringify({ dispatcher: { cpuMs: 3000, memoryMb: 512 } }),
  });
  assert.deepEqual(readEdgeLimits(settings, "trigger"), {
    ...HOSTED_LIMITS,
    cpuMsPerRequest: 500,
    wallClockMs: 400_000,
  });
  assert.deepEqual(readEdgeLimits(settings, "dispatcher"), {
    ...HOSTED_LIMITS,
    cpuMsPerRequest: 3000,
    wallClockMs: 400_000,
    memoryMb: 512,
  });
  assert.equal(readEdgeLimits(env({ XNOVU_EDGE_LIMITS: "off" }), "trigger"), null);
});

Deno.test("a malformed limit is refused rather than run without one", () => {
  assert.throws(() => readEdgeLimits(env({ XNOVU_EDGE_CPU_MS: "2s" }), "x"), /XNOVU_EDGE_CPU_MS/);
  assert.throws(
    () => readEdgeLimits(env({ XNOVU_EDGE_FUNCTION_LIMITS: '{"x":{"cpu":1}}' }), "x"),
    /x\.cpu is not a limit/,
  );
  assert.throws(
    () => readEdgeLimits(env({ XNOVU_EDGE_FUNCTION_LIMITS: '{"x":{"memoryMb":0}}' }), "x"),
    /memoryMb must be a positive number/,
  );
});

Deno.test("CPU: the oldest open activity's charge past the limit terminates the worker", () => {
  const limits = HOSTED_LIMITS;
  assert.deepEqual(judgeWorker(limits, reading({ cpuMs: 2_400, oldestOpenCpuMs: 400 })), {
    action: "none",
  });
  const verdict = judgeWorker(limits, reading({ cpuMs: 2_401, oldestOpenCpuMs: 400 }));
  assert.equal(verdict.action, "terminate");
  assert.equal(verdict.action === "terminate" && verdict.reason, "cpu");
  assert.deepEqual(
    judgeWorker(limits, reading({ cpuMs: 99_000, oldestOpenCpuMs: null })),
    { action: "none" },
    "CPU spent with nothing open (between requests) is charged to no request",
  );
});

Deno.test("memory past the limit over the runtime's own baseline terminates the worker", () => {
  assert.equal(judgeWorker(HOSTED_LIMITS, reading({ rssMb: 296, baselineMb: 40 })).action, "none");
  const verdict = judgeWorker(HOSTED_LIMITS, reading({ rssMb: 297, baselineMb: 40 }));
  assert.equal(verdict.action === "terminate" && verdict.reason, "memory");
});

Deno.test("wall clock: retired at half, terminated at the limit even while busy", () => {
  const at = (seconds: number, retired = false) =>
    judgeWorker(HOSTED_LIMITS, reading({ nowMs: 1_000_000 + seconds * 1000, retired }));
  assert.deepEqual(at(74.9), { action: "none" });
  assert.deepEqual(at(75), { action: "retire", reason: "wall_clock" });
  assert.deepEqual(at(100, true), { action: "none" }, "retired once");
  const verdict = at(150, true);
  assert.equal(verdict.action === "terminate" && verdict.reason, "wall_clock");
});

Deno.test("a worker terminated at a limit answers the hosted 546 WORKER_LIMIT", async () => {
  const response = workerLimitResponse();
  assert.equal(response.status, 546);
  assert.deepEqual(await response.json(), {
    code: "WORKER_LIMIT",
    message: "Function failed due to not having enough compute resources (please check logs)",
  });
});
