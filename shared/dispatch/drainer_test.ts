import assert from "node:assert/strict";
import { createDrainer } from "./drainer.ts";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

Deno.test("kicks during a drain coalesce into exactly one more round", async () => {
  const gates = [deferred(), deferred()];
  let rounds = 0;
  const drainer = createDrainer({
    round: async () => {
      await gates[rounds++].promise;
      return { nextVisibleInSeconds: null };
    },
    now: () => 0,
    setTimer: () => assert.fail("no follow-up expected"),
    log: () => {},
  });
  const first = drainer.kick();
  const second = drainer.kick();
  const third = drainer.kick();
  assert.equal(second, first, "a kick during a drain joins it");
  assert.equal(third, first);
  gates[0].resolve();
  gates[1].resolve();
  await first;
  assert.equal(rounds, 2, "three kicks, one drain of two rounds");
});

Deno.test("a kick during a drain wakes the running round", async () => {
  const gate = deferred();
  let wakes = 0;
  const round = Object.assign(async () => {
    await gate.promise;
    return { nextVisibleInSeconds: null };
  }, { wake: () => void (wakes += 1) });
  const drainer = createDrainer({
    round,
    now: () => 0,
    setTimer: () => assert.fail("no follow-up expected"),
    log: () => {},
  });
  const drain = drainer.kick();
  assert.equal(wakes, 0, "a kick that starts a drain has no round to wake");
  void drainer.kick();
  assert.equal(wakes, 1);
  gate.resolve();
  await drain;
});

Deno.test("a drain stops at its wall-time budget and times a kick for the owed round", async () => {
  let clock = 0;
  let rounds = 0;
  const timers: number[] = [];
  const drainer = createDrainer({
    round: () => {
      rounds += 1;
      clock += 30_000;
      void drainer.kick();
      return Promise.resolve({ nextVisibleInSeconds: null });
    },
    now: () => clock,
    setTimer: (_callback, ms) => timers.push(ms),
    maxDrainMs: 50_000,
    log: () => {},
  });
  await drainer.kick();
  assert.equal(rounds, 2, "the second round ends past the budget");
  assert.deepEqual(timers, [0]);
});

Deno.test("messages put back briefly get one follow-up kick at the soonest time", async () => {
  const timers: Array<{ callback: () => void; ms: number }> = [];
  const soon = [7, 3, 120];
  let rounds = 0;
  const drainer = createDrainer({
    round: () => Promise.resolve({ nextVisibleInSeconds: soon[rounds++] ?? null }),
    now: () => 1_000,
    setTimer: (callback, ms) => timers.push({ callback, ms }),
    log: () => {},
  });
  await drainer.kick();
  await drainer.kick();
  await drainer.kick();
  assert.deepEqual(timers.map((timer) => timer.ms), [7_000, 3_000], "120 s is the sweep's job");
  timers[1].callback();
  assert.equal(rounds, 4, "the follow-up kick drains again");
});

Deno.test("a later follow-up is armed even while an earlier one is pending", async () => {
  const timers: number[] = [];
  const soon = [1, 2];
  let rounds = 0;
  const drainer = createDrainer({
    round: () => Promise.resolve({ nextVisibleInSeconds: soon[rounds++] ?? null }),
    now: () => 1_000,
    setTimer: (_callback, ms) => timers.push(ms),
    log: () => {},
  });
  await drainer.kick();
  await drainer.kick();
  await drainer.kick();
  // The 1 s kick's round cannot see the message due at 2 s: it needs a timer of its own.
  assert.deepEqual(timers, [1_000, 2_000]);
});

Deno.test("a failing round ends the drain and arms a retry; the next kick starts a new one", async () => {
  let calls = 0;
  const logged: string[] = [];
  const timers: number[] = [];
  const drainer = createDrainer({
    round: () => {
      calls += 1;
      return calls === 1
        ? Promise.reject(new Error("database down"))
        : Promise.resolve({ nextVisibleInSeconds: null });
    },
    now: () => 0,
    setTimer: (_callback, ms) => timers.push(ms),
    retryAfterFailureMs: 4_000,
    log: (message) => logged.push(message),
  });
  await drainer.kick();
  assert.deepEqual(timers, [4_000], "a retry kick is armed after the failure");
  await drainer.kick();
  assert.equal(calls, 2);
  assert.deepEqual(logged, ["dispatcher drain failed"]);
});

/**
 * A round that takes a batch while its budget allows, each batch costing `cpuPerBatch` ms of
 * CPU on the injected reader, up to `backlog` batches; it reports how many it took.
 */
function batchRound(backlog: number, cpuPerBatch: number, cpu: { ms: number }) {
  const taken: number[] = [];
  const round = (_deadline: number, spent = () => false) => {
    let batches = 0;
    while (backlog > 0 && !spent()) {
      backlog -= 1;
      batches += 1;
      cpu.ms += cpuPerBatch;
    }
    taken.push(batches);
    return Promise.resolve({ nextVisibleInSeconds: null });
  };
  return { round, taken, left: () => backlog };
}

Deno.test("a drain stops at its CPU budget and a fresh drain, kept alive, goes on with the rest", async () => {
  const cpu = { ms: 10_000 };
  const backlog = batchRound(10, 300, cpu);
  const timers: Array<() => void> = [];
  const keptAlive: Promise<void>[] = [];
  const logged: Array<Record<string, unknown> | undefined> = [];
  const drainer = createDrainer({
    round: backlog.round,
    now: () => 0,
    setTimer: (callback) => timers.push(callback),
    readCpuMs: () => cpu.ms,
    maxDrainCpuMs: 1_000,
    keepAlive: (work) => keptAlive.push(work),
    log: (_message, context) => logged.push(context),
  });
  await drainer.kick();
  assert.deepEqual(backlog.taken, [4], "300 ms batches: the fourth starts at 900 ms, none after");
  assert.equal(timers.length, 1, "a follow-up kick goes on at once");
  assert.deepEqual(logged[0], { cpuMs: 1_200, checks: 5 });
  timers.shift()!();
  assert.equal(keptAlive.length, 1, "the follow-up drain is background work of its own");
  await keptAlive[0];
  timers.shift()?.();
  await keptAlive[1];
  assert.deepEqual(backlog.taken.slice(0, 3), [4, 4, 2]);
  assert.equal(backlog.left(), 0, "nothing is lost: every batch is taken by some drain");
});

Deno.test("without a CPU reading a drain stops after its budget checks", async () => {
  const backlog = batchRound(100, 0, { ms: 0 });
  const timers: Array<() => void> = [];
  const drainer = createDrainer({
    round: backlog.round,
    now: () => 0,
    setTimer: (callback) => timers.push(callback),
    readCpuMs: () => null,
    maxDrainChecks: 30,
    log: () => {},
  });
  await drainer.kick();
  assert.deepEqual(backlog.taken, [30]);
  assert.equal(timers.length, 1);
});

Deno.test("a drain within its CPU budget arms no follow-up", async () => {
  const cpu = { ms: 0 };
  const backlog = batchRound(2, 100, cpu);
  const drainer = createDrainer({
    round: backlog.round,
    now: () => 0,
    setTimer: () => assert.fail("no follow-up expected"),
    readCpuMs: () => cpu.ms,
    log: () => {},
  });
  await drainer.kick();
  assert.deepEqual(backlog.taken, [2]);
});

Deno.test("a spent drain hands the rest to a fresh request through the gateway, not to itself", async () => {
  const cpu = { ms: 0 };
  const backlog = batchRound(10, 300, cpu);
  const handOvers: Array<() => void> = [];
  const keptAlive: Promise<void>[] = [];
  const drainer = createDrainer({
    round: backlog.round,
    now: () => 0,
    setTimer: () => assert.fail("no drain in this process: a retired worker must be let go"),
    readCpuMs: () => cpu.ms,
    maxDrainCpuMs: 1_000,
    keepAlive: (work) => keptAlive.push(work),
    handOver: () => new Promise<void>((resolve) => handOvers.push(resolve)),
    log: () => {},
  });
  await drainer.kick();
  assert.deepEqual(backlog.taken, [4]);
  assert.equal(handOvers.length, 1, "one kick through the gateway");
  assert.equal(keptAlive.length, 1, "kept alive until the kick is out");
  handOvers[0]();
  await keptAlive[0];
  assert.deepEqual(backlog.taken, [4], "this process took no further batch");
  assert.equal(backlog.left(), 6, "the rest is left to the request the kick starts");
});

Deno.test("a hand-over that fails leaves the rest to a fresh drain in this process", async () => {
  const cpu = { ms: 0 };
  const backlog = batchRound(6, 300, cpu);
  const keptAlive: Promise<void>[] = [];
  const logged: string[] = [];
  const drainer = createDrainer({
    round: backlog.round,
    now: () => 0,
    setTimer: () => assert.fail("the fresh drain starts at once, not on a timer"),
    readCpuMs: () => cpu.ms,
    maxDrainCpuMs: 1_000,
    keepAlive: (work) => keptAlive.push(work),
    handOver: () => Promise.reject(new Error("the kick was answered 503")),
    log: (message) => logged.push(message),
  });
  await drainer.kick();
  await keptAlive[0];
  assert.deepEqual(backlog.taken, [4, 2]);
  assert.equal(backlog.left(), 0);
  assert.deepEqual(logged, [
    "drain used its CPU budget; a fresh drain goes on",
    "handing over to a fresh request failed; this process goes on",
  ]);
});
