import assert from "node:assert/strict";
import { mintJwt } from "../../../tests/support/jwt.ts";
import type { CallerClaims } from "../../../shared/http/claims.ts";
import { createEventsHandler, type EmitEventResult, type EventRequestBody } from "./handler.ts";

const ENTERPRISE_A = "11111111-1111-4111-8111-111111111111";
const ENTERPRISE_B = "22222222-2222-4222-8222-222222222222";
const member = `Bearer ${await mintJwt({ role: "authenticated" })}`;

function harness(result: EmitEventResult = { outcome: "emitted", id: 42 }) {
  const emitted: { claims: CallerClaims; event: EventRequestBody }[] = [];
  const handle = createEventsHandler({
    callerCanAccessEnterprise: (_claims, enterpriseId) =>
      Promise.resolve(enterpriseId === ENTERPRISE_A),
    emitEvent: (claims, event) => {
      emitted.push({ claims, event });
      return Promise.resolve(result);
    },
    logError: () => {},
  });
  const post = (body: unknown, authorization: string | null = member) =>
    handle(
      new Request("http://localhost/events", {
        method: "POST",
        headers: authorization ? { authorization } : {},
        body: JSON.stringify(body),
      }),
    );
  return { post, emitted };
}

Deno.test("an event of the caller's enterprise is emitted: 202 with its id", async () => {
  const { post, emitted } = harness();
  const response = await post({
    enterprise_id: ENTERPRISE_A,
    event: "door.forced_open",
    payload: { doorName: "North gate" },
    dedup_key: "door-7",
  });
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), { id: 42 });
  assert.deepEqual(emitted[0].event, {
    enterprise_id: ENTERPRISE_A,
    event: "door.forced_open",
    payload: { doorName: "North gate" },
    dedup_key: "door-7",
  });
});

Deno.test("another enterprise is 403 and nothing is emitted", async () => {
  const { post, emitted } = harness();
  const response = await post({ enterprise_id: ENTERPRISE_B, event: "door.forced_open" });
  assert.equal(response.status, 403);
  assert.equal((await response.json()).error, "FORBIDDEN");
  assert.equal(emitted.length, 0);
});

Deno.test("a body without an event, or with unknown fields, is 400 naming the field", async () => {
  const { post, emitted } = harness();
  const missing = await post({ enterprise_id: ENTERPRISE_A });
  assert.equal(missing.status, 400);
  assert.match((await missing.json()).message, /^event: /);
  const unknown = await post({ enterprise_id: ENTERPRISE_A, event: "e", code: "alert(1)" });
  assert.equal(unknown.status, 400);
  assert.equal(emitted.length, 0);
});

Deno.test("the database refusing the name is 400 with its message", async () => {
  const { post } = harness({
    outcome: "refused",
    message: "event_name: 'a b' is not an event name",
  });
  const response = await post({ enterprise_id: ENTERPRISE_A, event: "a b" });
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), {
    error: "INVALID_REQUEST",
    message: "event_name: 'a b' is not an event name",
  });
});

Deno.test("no JWT is 401", async () => {
  const { post } = harness();
  assert.equal((await post({ enterprise_id: ENTERPRISE_A, event: "e" }, null)).status, 401);
});
