import assert from "node:assert/strict";
import { signNovuRequest } from "../../shared/novu/signature.ts";
import { callBridge } from "../support/bridge.ts";
import { ENTERPRISE_A, NOVU_SECRET_KEY } from "../support/env.ts";

const EXECUTE_QUERY = { action: "execute", workflowId: "default-sms", stepId: "sms" };
const EXECUTE_BODY = {
  payload: { body: "hello", _xnovu: { notification_id: 1, enterprise_id: ENTERPRISE_A } },
  subscriber: { subscriberId: "subscriber-1" },
  state: [],
  controls: {},
  context: {},
};
const SIX_MINUTES_MS = 6 * 60 * 1000;

Deno.test("unsigned discover and execute get 401", async () => {
  const discover = await callBridge({ query: { action: "discover" }, signature: null });
  assert.equal(discover.status, 401);
  assert.equal(discover.body.code, "SignatureNotFoundError");
  const execute = await callBridge({ query: EXECUTE_QUERY, body: EXECUTE_BODY, signature: null });
  assert.equal(execute.status, 401);
  assert.equal("outputs" in execute.body, false);
});

Deno.test("a signature made with another secret gets 401", async () => {
  const forged = await signNovuRequest("not-the-secret", JSON.stringify(EXECUTE_BODY), Date.now());
  const { status, body } = await callBridge({
    query: EXECUTE_QUERY,
    body: EXECUTE_BODY,
    signature: forged,
  });
  assert.equal(status, 401);
  assert.equal(body.code, "SignatureMismatchError");
});

Deno.test("a signature over another body gets 401", async () => {
  const otherBody = JSON.stringify({ ...EXECUTE_BODY, payload: { body: "other" } });
  const { status } = await callBridge({
    query: EXECUTE_QUERY,
    body: EXECUTE_BODY,
    signature: await signNovuRequest(NOVU_SECRET_KEY, otherBody, Date.now()),
  });
  assert.equal(status, 401);
});

Deno.test("a correctly signed but expired request gets 401", async () => {
  const expired = await signNovuRequest(
    NOVU_SECRET_KEY,
    JSON.stringify(EXECUTE_BODY),
    Date.now() - SIX_MINUTES_MS,
  );
  const { status, body } = await callBridge({
    query: EXECUTE_QUERY,
    body: EXECUTE_BODY,
    signature: expired,
  });
  assert.equal(status, 401);
  assert.equal(body.code, "SignatureExpiredError");
});

Deno.test("the same request correctly signed now succeeds", async () => {
  const { status, body } = await callBridge({ query: EXECUTE_QUERY, body: EXECUTE_BODY });
  assert.equal(status, 200);
  assert.deepEqual(body.outputs, { body: "hello" });
});
