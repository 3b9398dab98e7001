import assert from "node:assert/strict";
import { mintJwt } from "../../../tests/support/jwt.ts";

const KICK_SECRET = "kick-secret-for-tests";
import { createRuleEventsHandler } from "./handler.ts";

function harness() {
  let kicks = 0;
  const handle = createRuleEventsHandler({
    kick: () => {
      kicks++;
      return Promise.resolve();
    },
    waitUntil: () => {},
    kickSecret: KICK_SECRET,
  });
  return { handle, kicks: () => kicks };
}

Deno.test("a kick with the kick secret starts a drain and answers 202 at once", async () => {
  const { handle, kicks } = harness();
  const response = await handle(
    new Request("http://localhost/rule-events", {
      method: "POST",
      headers: { authorization: `Bearer ${KICK_SECRET}` },
    }),
  );
  assert.equal(response.status, 202);
  assert.equal(kicks(), 1);
});

Deno.test("a member's JWT, anonymous callers and GETs start nothing", async () => {
  const { handle, kicks } = harness();
  const member = await handle(
    new Request("http://localhost/rule-events", {
      method: "POST",
      headers: { authorization: `Bearer ${await mintJwt({ role: "authenticated" })}` },
    }),
  );
  assert.equal(member.status, 401);
  assert.equal(
    (await handle(new Request("http://localhost/rule-events", { method: "POST" }))).status,
    401,
  );
  assert.equal((await handle(new Request("http://localhost/rule-events"))).status, 405);
  assert.equal(kicks(), 0);
});
