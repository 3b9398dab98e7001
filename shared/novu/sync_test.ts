import assert from "node:assert/strict";
import { callNovuSync, createNovuSyncRound, type NovuSyncAnswer, type SyncClaim } from "./sync.ts";

function recordingFetch(status: number, body: string) {
  const requests: Request[] = [];
  const fetcher: typeof fetch = (input, init) => {
    requests.push(new Request(input, init));
    return Promise.resolve(new Response(body, { status }));
  };
  return { fetcher, requests };
}

const CALL = {
  apiUrl: "https://eu.api.novu.co",
  secretKey: "sk-test",
  bridgeUrl: "https://project.supabase.co/functions/v1/novu-bridge",
  timeoutMs: 1_000,
};

Deno.test("the sync is the novu CLI's call: POST /v1/bridge/sync?source=cli, ApiKey, { bridgeUrl }", async () => {
  const { fetcher, requests } = recordingFetch(
    201,
    JSON.stringify({
      data: [
        { _id: "a", triggers: [{ identifier: "door-alert" }] },
        { _id: "b", triggers: [{ identifier: "default-email" }] },
      ],
    }),
  );
  const answer = await callNovuSync({ ...CALL, fetch: fetcher });
  assert.deepEqual(answer, { ok: true, status: 201, workflows: ["door-alert", "default-email"] });
  assert.equal(requests.length, 1);
  const [request] = requests;
  assert.equal(request.method, "POST");
  assert.equal(request.url, "https://eu.api.novu.co/v1/bridge/sync?source=cli");
  assert.equal(request.headers.get("authorization"), "ApiKey sk-test");
  assert.equal(request.headers.get("content-type"), "application/json");
  assert.deepEqual(await request.json(), {
    bridgeUrl: "https://project.supabase.co/functions/v1/novu-bridge",
  });
});

Deno.test("a status of 400 or more, an unreadable answer or no answer is a failed sync", async () => {
  const refused = await callNovuSync({
    ...CALL,
    fetch: recordingFetch(400, '{"message":"Bridge discover failed (401)"}').fetcher,
  });
  assert.equal(refused.ok, false);
  assert.equal(refused.status, 400);
  assert.match((refused as { error: string }).error, /Bridge discover failed \(401\)/);

  const garbled = await callNovuSync({ ...CALL, fetch: recordingFetch(201, "<html>").fetcher });
  assert.equal(garbled.ok, false);
  assert.equal(garbled.status, 201);

  const unreachable = await callNovuSync({
    ...CALL,
    fetch: () => Promise.reject(new TypeError("connection refused")),
  });
  assert.deepEqual(unreachable.ok, false);
  assert.equal(unreachable.status, null);
  assert.match((unreachable as { error: string }).error, /connection refused/);
});

function roundHarness(claims: SyncClaim[], answers: NovuSyncAnswer[]) {
  const finished: Array<{ syncId: number; answer: NovuSyncAnswer }> = [];
  let calls = 0;
  const round = createNovuSyncRound({
    store: {
      claim: () => Promise.resolve(claims.shift() ?? { state: "idle" }),
      finish: (syncId, answer) => {
        finished.push({ syncId, answer });
        return Promise.resolve(true);
      },
    },
    callNovu: () => {
      calls += 1;
      return Promise.resolve(answers.shift()!);
    },
    now: () => 0,
    log: () => {},
  });
  return { round, finished, calls: () => calls };
}

Deno.test("a round syncs while syncs are claimed and records each outcome", async () => {
  const failed: NovuSyncAnswer = { ok: false, status: 503, error: "down" };
  const synced: NovuSyncAnswer = { ok: true, status: 201, workflows: ["w"] };
  const { round, finished, calls } = roundHarness(
    [{ state: "claimed", syncId: 1 }, { state: "claimed", syncId: 2 }, { state: "idle" }],
    [failed, synced],
  );
  assert.deepEqual(await round(1_000), { nextVisibleInSeconds: null });
  assert.equal(calls(), 2);
  assert.deepEqual(finished, [{ syncId: 1, answer: failed }, { syncId: 2, answer: synced }]);
});

Deno.test("debounce and backoff end the round with the wait left; busy ends it with none", async () => {
  for (
    const [claim, expected] of [
      [{ state: "debouncing", waitMs: 700 }, 0.7],
      [{ state: "backing_off", waitMs: 4_000 }, 4],
      [{ state: "busy" }, null],
    ] as Array<[SyncClaim, number | null]>
  ) {
    const { round, calls } = roundHarness([claim], []);
    assert.deepEqual(await round(1_000), { nextVisibleInSeconds: expected });
    assert.equal(calls(), 0);
  }
});
