import assert from "node:assert/strict";
import type { FiringResult } from "../../../shared/rules/record.ts";
import { createSchedulerHandler } from "./handler.ts";

const CLOCK = new Date("2027-03-29T06:59:00Z");
const KICK_SECRET = "kick-secret-for-tests";

function harness() {
  const runs: Date[] = [];
  const result: FiringResult = {
    rule_id: 1,
    fire_at: "2027-03-29T07:00:00.000Z",
    event_id: null,
    firing_id: 9,
    outcome: "created",
    reason: null,
  };
  const handle = createSchedulerHandler({
    run: (now) => {
      runs.push(now);
      return Promise.resolve([result]);
    },
    now: () => CLOCK,
    logError: () => {},
    kickSecret: KICK_SECRET,
  });
  const post = (body: string, token = KICK_SECRET) =>
    handle(
      new Request("http://localhost/rules-scheduler", {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body,
      }),
    );
  return { post, runs };
}

Deno.test("a kick runs the scheduler on the clock and answers the outcomes", async () => {
  const { post, runs } = harness();
  const response = await post('{"reason": "tick"}');
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.deepEqual(runs, [CLOCK]);
  assert.deepEqual(body.outcomes, { created: 1 });
  assert.equal(body.now, CLOCK.toISOString());
});

Deno.test("an explicit now evaluates the rules as of that instant", async () => {
  const { post, runs } = harness();
  await post('{"now": "2027-10-31T00:00:00Z"}');
  assert.deepEqual(runs, [new Date("2027-10-31T00:00:00Z")]);
});

Deno.test("a now that is not an instant is 400 and runs nothing", async () => {
  const { post, runs } = harness();
  const response = await post('{"now": "tomorrow"}');
  assert.equal(response.status, 400);
  assert.equal((await response.json()).message, "now: must be an ISO 8601 instant");
  assert.equal(runs.length, 0);
});

Deno.test("only the database's kick (the kick secret) may run the scheduler", async () => {
  const { post, runs } = harness();
  assert.equal((await post("", "a-member-jwt-or-a-guess")).status, 401);
  assert.equal(runs.length, 0);
});
