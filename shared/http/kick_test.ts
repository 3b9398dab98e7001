import assert from "node:assert/strict";
import { refuseUnlessKicked } from "./kick.ts";

const SECRET = "kick-secret-for-tests";
const post = (authorization?: string) =>
  new Request("http://functions.test/dispatcher", {
    method: "POST",
    headers: authorization ? { authorization } : {},
  });

Deno.test("kick: a POST with the kick secret is let through", async () => {
  assert.equal(await refuseUnlessKicked(post(`Bearer ${SECRET}`), "the worker", SECRET), null);
});

Deno.test("kick: a wrong, missing or JWT-shaped credential is 401 with the error shape", async () => {
  // A service-role JWT is not the kick secret: with verify_jwt off nobody checked its signature.
  const forgedJwt = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2ln";
  for (const authorization of [`Bearer ${SECRET}x`, undefined, `Bearer ${forgedJwt}`, SECRET]) {
    const refusal = await refuseUnlessKicked(post(authorization), "the worker", SECRET);
    assert.equal(refusal?.status, 401, String(authorization));
    assert.deepEqual(Object.keys(await refusal!.json()).sort(), ["error", "message"]);
  }
});

Deno.test("kick: only POST; and without a configured secret nothing is let through", async () => {
  const get = new Request("http://functions.test/dispatcher", {
    headers: { authorization: `Bearer ${SECRET}` },
  });
  assert.equal((await refuseUnlessKicked(get, "the worker", SECRET))?.status, 405);
  const unset = await refuseUnlessKicked(post("Bearer "), "the worker", undefined);
  assert.equal(unset?.status, 503);
  assert.equal((await unset!.json()).error, "NOT_CONFIGURED");
  assert.equal((await refuseUnlessKicked(post("Bearer x"), "the worker", ""))?.status, 503);
});
