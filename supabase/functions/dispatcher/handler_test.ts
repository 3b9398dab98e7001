import assert from "node:assert/strict";
import { createDispatcherHandler } from "./handler.ts";

function unsignedJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}.signature`;
}

function setup() {
  let kicks = 0;
  const background: Promise<void>[] = [];
  const handler = createDispatcherHandler({
    kick: () => {
      kicks += 1;
      return Promise.resolve();
    },
    waitUntil: (work) => background.push(work),
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

Deno.test("the service role starts a drain in the background and gets 202", async () => {
  const { post, kicks, background } = setup();
  const response = await post(unsignedJwt({ role: "service_role" }));
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), { accepted: true });
  assert.equal(kicks(), 1);
  assert.equal(background.length, 1, "the drain is handed to waitUntil");
});

Deno.test("other roles get 403, a missing token 401, and nothing is started", async () => {
  const { post, kicks } = setup();
  for (const role of ["authenticated", "anon"]) {
    const response = await post(unsignedJwt({ role }));
    assert.equal(response.status, 403);
    assert.deepEqual(await response.json(), {
      error: "FORBIDDEN",
      message: "only the service role may start the dispatcher",
    });
  }
  const missing = await post(null);
  assert.equal(missing.status, 401);
  assert.equal((await missing.json()).error, "UNAUTHORIZED");
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
      headers: { authorization: `Bearer ${unsignedJwt({ role: "service_role" })}` },
      body: "x".repeat(1_048_577),
    }),
  );
  assert.equal(response.status, 413);
  assert.equal((await response.json()).error, "PAYLOAD_TOO_LARGE");
  assert.equal(kicks(), 0);
});
