import assert from "node:assert/strict";
import { signNovuRequest, verifyNovuSignature } from "./signature.ts";

const secret = "xnovu-local-novu-secret";
const body = '{"workflowId":"welcome","payload":{"name":"Ada"}}';
const timestampMs = 1_700_000_000_000;
// printf '%s' '1700000000000.{"workflowId":"welcome","payload":{"name":"Ada"}}' \
//   | openssl dgst -sha256 -hmac 'xnovu-local-novu-secret'
const expectedMac = "a09d81e43c551cef725af1acbf4f89a301fb46d6e72fa59f11b1d02a506e58b3";

Deno.test("signNovuRequest produces t=<ms>,v1=<HMAC-SHA256 of '<t>.<body>'>", async () => {
  assert.equal(
    await signNovuRequest(secret, body, timestampMs),
    `t=${timestampMs},v1=${expectedMac}`,
  );
});

Deno.test("signNovuRequest signs a GET's empty event as '{}'", async () => {
  // printf '%s' '1700000000000.{}' | openssl dgst -sha256 -hmac 'xnovu-local-novu-secret'
  assert.equal(
    await signNovuRequest(secret, "{}", timestampMs),
    `t=${timestampMs},v1=442b062f8765153608747a9674ac6675598df2a82708c2d58b7ebaf4f123360f`,
  );
});

Deno.test("verifyNovuSignature accepts the vector within the tolerance window", async () => {
  const header = `t=${timestampMs},v1=${expectedMac}`;
  assert.deepEqual(await verifyNovuSignature(secret, header, body, timestampMs + 299_000), {
    valid: true,
  });
  assert.deepEqual(await verifyNovuSignature(secret, header, body, timestampMs - 299_000), {
    valid: true,
  });
});

Deno.test("verifyNovuSignature rejects old, altered, foreign and malformed signatures", async () => {
  const header = `t=${timestampMs},v1=${expectedMac}`;
  assert.deepEqual(await verifyNovuSignature(secret, header, body, timestampMs + 301_000), {
    valid: false,
    reason: "expired",
  });
  assert.deepEqual(
    await verifyNovuSignature(secret, header, body.replace("Ada", "Eve"), timestampMs),
    { valid: false, reason: "mismatch" },
  );
  assert.deepEqual(await verifyNovuSignature("another-secret", header, body, timestampMs), {
    valid: false,
    reason: "mismatch",
  });
  assert.deepEqual(await verifyNovuSignature(secret, `v1=${expectedMac}`, body, timestampMs), {
    valid: false,
    reason: "malformed",
  });
  assert.deepEqual(await verifyNovuSignature(secret, null, body, timestampMs), {
    valid: false,
    reason: "missing",
  });
});
