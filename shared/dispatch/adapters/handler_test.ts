import assert from "node:assert/strict";
import { createDispatcherHandler } from "./handler.ts";

const KICK_SECRET = "kick-secret-for-tests";

function setup() {
  let kicks = 0;
  const background: Promise<void>[] = [];
  const handler = createDispatcherHandler({
    kick: () => {
      kicks += 1;
      return Promise.resolve();
    },
    waitUntil: (work) => background.push(work),
    kickSecret: KICK_SECRET,
  });
  const post = (token: string | null) =>
    handler(
      new Request("http://localhost/functions/v1/dispatcher", {
        method: "POST",
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
        body: "{}",
      }),
    );
  return { post, handler, kicks: () => kicks, background };
}

Deno.test("the database's kick (the kick secret) starts a drain in the background and gets 202", async () => {
  const { post, kicks, background } = setup();
  const response = await post(KICK_SECRET);
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), { accepted: true });
  assert.equal(kicks(), 1);
  assert.equal(background.length, 1, "the drain is handed to waitUntil");
});

Deno.test("a wrong secret, a JWT or no token gets 401 and nothing is started", async () => {
  const { post, kicks } = setup();
  const serviceRoleShapedJwt = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2ln";
  for (const token of [`${KICK_SECRET}-guess`, serviceRoleShapedJwt, null]) {
    const response = await post(token);
    assert.equal(response.status, 401, String(token));
    assert.equal((await response.json()).error, "UNAUTHORIZED");
  }
  assert.equal(kicks(), 0);
});

Deno.test("only POST starts the dispatcher", async () => {
  const { handler, kicks } = setup();
  const response = await handler(new Request("http://localhost/functions/v1/dispatcher"));
  assert.equal(response.status, 405);
  assert.equal(kicks(), 0);
});

Deno.test("a body past the bound is 413 and starts nothing", async () => {
  const { handler, kicks } = setup();
  const response = await handler(
    new Request("http://localhost/functions/v1/dispatcher", {
      method: "POST",
      headers: { authorization: `Bearer ${KICK_SECRET}` },
      body: "x".repeat(1_048_577),
    }),
  );
  assert.equal(response.status, 413);
  assert.equal((await response.json()).error, "PAYLOAD_TOO_LARGE");
  assert.equal(kicks(), 0);
});
