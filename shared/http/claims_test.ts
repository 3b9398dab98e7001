import assert from "node:assert/strict";
import { ClaimsError, claimsFromAuthorization } from "./claims.ts";

function unsignedJwt(payload: unknown): string {
  const encode = (value: unknown) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
      .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `${encode({ alg: "HS256" })}.${encode(payload)}.signature`;
}

Deno.test("reads role and subject, and keeps the whole payload for request.jwt.claims", () => {
  const payload = {
    role: "authenticated",
    sub: "user-1",
    app_metadata: { enterprise_ids: ["11111111-1111-4111-8111-111111111111"] },
  };
  const claims = claimsFromAuthorization(`Bearer ${unsignedJwt(payload)}`);
  assert.equal(claims.role, "authenticated");
  assert.equal(claims.subject, "user-1");
  assert.deepEqual(claims.raw, payload);
});

Deno.test("decodes base64url payloads containing - and _ (non-ASCII text)", () => {
  const claims = claimsFromAuthorization(
    `Bearer ${unsignedJwt({ role: "service_role", name: "Zoë ~~~ ???" })}`,
  );
  assert.equal(claims.raw.name, "Zoë ~~~ ???");
  assert.equal(claims.subject, null);
});

Deno.test("rejects missing, malformed and role-less tokens", () => {
  assert.throws(() => claimsFromAuthorization(null), ClaimsError);
  assert.throws(() => claimsFromAuthorization("Basic abc"), ClaimsError);
  assert.throws(() => claimsFromAuthorization("Bearer not-a-jwt"), ClaimsError);
  assert.throws(() => claimsFromAuthorization("Bearer a.%%%.c"), ClaimsError);
  assert.throws(() => claimsFromAuthorization(`Bearer ${unsignedJwt([1, 2])}`), ClaimsError);
  assert.throws(() => claimsFromAuthorization(`Bearer ${unsignedJwt({ sub: "x" })}`), ClaimsError);
});
