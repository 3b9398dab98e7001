import assert from "node:assert/strict";
import { canAccessEnterprise, ClaimsError, claimsFromAuthorization } from "./claims.ts";

const ENTERPRISE_A = "11111111-1111-4111-8111-111111111111";
const ENTERPRISE_B = "22222222-2222-4222-8222-222222222222";

function unsignedJwt(payload: unknown): string {
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `${encode({ alg: "HS256" })}.${encode(payload)}.signature`;
}

Deno.test("reads role, subject and enterprise_ids from app_metadata", () => {
  const claims = claimsFromAuthorization(
    `Bearer ${
      unsignedJwt({
        role: "authenticated",
        sub: "user-1",
        app_metadata: { enterprise_ids: [ENTERPRISE_A.toUpperCase()] },
      })
    }`,
  );
  assert.equal(claims.role, "authenticated");
  assert.equal(claims.subject, "user-1");
  assert.deepEqual(claims.enterpriseIds, [ENTERPRISE_A]);
});

Deno.test("accepts a single app_metadata.enterprise_id string", () => {
  const claims = claimsFromAuthorization(
    `Bearer ${
      unsignedJwt({ role: "authenticated", app_metadata: { enterprise_id: ENTERPRISE_B } })
    }`,
  );
  assert.deepEqual(claims.enterpriseIds, [ENTERPRISE_B]);
});

Deno.test("ignores enterprise ids placed outside app_metadata (user-writable)", () => {
  const claims = claimsFromAuthorization(
    `Bearer ${
      unsignedJwt({
        role: "authenticated",
        user_metadata: { enterprise_ids: [ENTERPRISE_A] },
        enterprise_ids: [ENTERPRISE_A],
      })
    }`,
  );
  assert.deepEqual(claims.enterpriseIds, []);
  assert.equal(canAccessEnterprise(claims, ENTERPRISE_A), false);
});

Deno.test("rejects missing, malformed and role-less tokens", () => {
  assert.throws(() => claimsFromAuthorization(null), ClaimsError);
  assert.throws(() => claimsFromAuthorization("Basic abc"), ClaimsError);
  assert.throws(() => claimsFromAuthorization("Bearer not-a-jwt"), ClaimsError);
  assert.throws(() => claimsFromAuthorization("Bearer a.%%%.c"), ClaimsError);
  assert.throws(() => claimsFromAuthorization(`Bearer ${unsignedJwt({ sub: "x" })}`), ClaimsError);
});

Deno.test("service_role reaches every enterprise, members only theirs, anon none", () => {
  const service = claimsFromAuthorization(`Bearer ${unsignedJwt({ role: "service_role" })}`);
  const member = claimsFromAuthorization(
    `Bearer ${
      unsignedJwt({ role: "authenticated", app_metadata: { enterprise_ids: [ENTERPRISE_A] } })
    }`,
  );
  const anon = claimsFromAuthorization(`Bearer ${unsignedJwt({ role: "anon" })}`);
  assert.equal(canAccessEnterprise(service, ENTERPRISE_B), true);
  assert.equal(canAccessEnterprise(member, ENTERPRISE_A), true);
  assert.equal(canAccessEnterprise(member, ENTERPRISE_B), false);
  assert.equal(canAccessEnterprise(anon, ENTERPRISE_A), false);
});
