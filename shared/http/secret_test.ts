import assert from "node:assert/strict";
import { bearerToken, secretMatches } from "./secret.ts";

Deno.test("secretMatches: only the exact secret matches", async () => {
  assert.equal(await secretMatches("s3cret-value", "s3cret-value"), true);
  assert.equal(await secretMatches("s3cret-valuf", "s3cret-value"), false);
  assert.equal(await secretMatches("s3cret-value-and-more", "s3cret-value"), false);
  assert.equal(await secretMatches("", "s3cret-value"), false);
  assert.equal(await secretMatches(null, "s3cret-value"), false);
});

Deno.test("secretMatches: an unset secret matches nothing, not even an empty string", async () => {
  assert.equal(await secretMatches("", ""), false);
  assert.equal(await secretMatches("anything", undefined), false);
});

Deno.test("bearerToken: reads Authorization: Bearer <token> and nothing else", () => {
  const withAuthorization = (value: string) =>
    bearerToken(new Request("http://x.test/", { headers: { authorization: value } }));
  assert.equal(withAuthorization("Bearer abc.def"), "abc.def");
  assert.equal(withAuthorization("bearer abc"), "abc");
  assert.equal(withAuthorization("Basic abc"), null);
  assert.equal(withAuthorization("Bearer"), null);
  assert.equal(bearerToken(new Request("http://x.test/")), null);
});
