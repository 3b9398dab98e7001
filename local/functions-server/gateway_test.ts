import assert from "node:assert/strict";
import { mintJwt } from "../../tests/support/jwt.ts";
import { createGateway, type FunctionEntry } from "./gateway.ts";

const secret = "super-secret-jwt-token-with-at-least-32-characters-long";
// The Supabase CLI's demo service_role key, signed with the secret above (exp 1983812996).
const serviceRoleKey =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU";

function gateway(nowSeconds = 1_700_000_000) {
  const functions = new Map<string, FunctionEntry>([
    ["guarded", { verifyJwt: true, handler: () => new Response("guarded ran") }],
    ["open", {
      verifyJwt: false,
      handler: (req) => new Response(`open ran ${new URL(req.url).search}`),
    }],
    ["broken", {
      verifyJwt: false,
      handler: () => {
        throw new Error("boom");
      },
    }],
  ]);
  return createGateway({ functions, jwtSecret: secret, nowSeconds: () => nowSeconds });
}

const call = (path: string, headers: Record<string, string> = {}) =>
  gateway()(new Request(`http://127.0.0.1:54321${path}`, { headers }));

Deno.test("a verify_jwt function runs with a valid key", async () => {
  const response = await call("/functions/v1/guarded", {
    authorization: `Bearer ${serviceRoleKey}`,
  });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "guarded ran");
});

Deno.test("a verify_jwt function refuses a missing, forged or expired JWT before it runs", async () => {
  const forged = serviceRoleKey.slice(0, -4) + "AAAA";
  const refused: Record<string, string>[] = [
    {},
    { authorization: `Bearer ${forged}` },
    { authorization: "Bearer nope" },
  ];
  for (const headers of refused) {
    const response = await call("/functions/v1/guarded", headers);
    assert.equal(response.status, 401);
    assert.equal((await response.json()).error, "unauthorized");
  }
  const expired = await gateway(1983812996)(
    new Request("http://127.0.0.1/functions/v1/guarded", {
      headers: { authorization: `Bearer ${serviceRoleKey}` },
    }),
  );
  assert.equal(expired.status, 401);
  assert.match((await expired.json()).message, /expired/);
});

Deno.test("a CORS preflight reaches a verify_jwt function without a JWT; the 401 has no CORS headers", async () => {
  const preflight = await gateway()(
    new Request("http://127.0.0.1:54321/functions/v1/guarded", {
      method: "OPTIONS",
      headers: { origin: "http://page.test", "access-control-request-method": "POST" },
    }),
  );
  assert.equal(preflight.status, 200);
  assert.equal(await preflight.text(), "guarded ran");
  const unauthenticated = await gateway()(
    new Request("http://127.0.0.1:54321/functions/v1/guarded", {
      method: "POST",
      headers: { origin: "http://page.test" },
    }),
  );
  assert.equal(unauthenticated.status, 401);
  assert.equal(unauthenticated.headers.get("access-control-allow-origin"), null);
  await unauthenticated.body?.cancel();
});

Deno.test("a verify_jwt = false function runs without a JWT and sees the query string", async () => {
  const response = await call("/functions/v1/open?action=discover");
  assert.equal(await response.text(), "open ran ?action=discover");
});

Deno.test("unknown functions are 404 and a throwing function is a 500 in the JSON error shape", async () => {
  assert.equal((await call("/functions/v1/missing")).status, 404);
  const broken = await call("/functions/v1/broken");
  assert.equal(broken.status, 500);
  assert.deepEqual(await broken.json(), {
    error: "internal_error",
    message: "the function failed",
  });
});

/** Signed with the gateway's secret; `exp: undefined` leaves the claim out. */
const signed = (claims: Record<string, unknown>) => mintJwt(claims, secret);

Deno.test("time claims are checked as the hosted gateway does: exp required and numeric, nbf honoured", async () => {
  const now = 1_700_000_000;
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ role: "service_role", exp: undefined }, /missing "exp"/],
    [{ role: "service_role", exp: String(now + 60) }, /"exp" claim must be a number/],
    [{ role: "service_role", exp: now + 60, nbf: now + 30 }, /not yet valid/],
    [{ role: "service_role", exp: now + 60, nbf: "0" }, /"nbf" claim must be a number/],
    [{ role: "service_role", exp: now + 60, iat: "yesterday" }, /"iat" claim must be a number/],
    [{ role: "service_role", exp: now }, /expired/],
  ];
  for (const [claims, reason] of refused) {
    const response = await gateway(now)(
      new Request("http://127.0.0.1/functions/v1/guarded", {
        headers: { authorization: `Bearer ${await signed(claims)}` },
      }),
    );
    assert.equal(response.status, 401, JSON.stringify(claims));
    assert.match((await response.json()).message, reason);
  }
  const accepted = await gateway(now)(
    new Request("http://127.0.0.1/functions/v1/guarded", {
      headers: {
        authorization: `Bearer ${await signed({ role: "service_role", exp: now + 60, nbf: now })}`,
      },
    }),
  );
  assert.equal(accepted.status, 200);
});
