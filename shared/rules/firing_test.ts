import assert from "node:assert/strict";
import { buildFiring } from "./firing.ts";
import { RESIDENT, ruleDefinition, validatePayload } from "./test_support.ts";

const key = { event_id: 42 };
const context = (payload: Record<string, unknown>) => ({
  rule: { id: 7, name: "Door forced open" },
  event: { id: 42, name: "door.forced_open", payload, emitted_at: "2027-01-01T00:00:00.000Z" },
});

Deno.test("a static recipient list: the rendered payload for those recipients", () => {
  assert.deepEqual(
    buildFiring(ruleDefinition(), key, context({ doorName: "North gate" }), validatePayload),
    {
      rule_id: 7,
      rule_version: "2027-01-01T00:00:00.123456Z",
      event_id: 42,
      payload: { doorName: "North gate" },
      recipients: [RESIDENT],
    },
  );
});

Deno.test("an audience: named for the database to call, with the firing context", () => {
  const rule = ruleDefinition({
    rulePayload: { payload: { doorName: "x" }, recipients: { audience: "security_team" } },
  });
  const firing = buildFiring(rule, key, context({}), validatePayload);
  assert.equal(firing.audience, "security_team");
  assert.deepEqual(firing.context, context({}));
  assert.equal(firing.recipients, undefined);
});

Deno.test("recipients from the event: distinct uuids, or a failed firing naming the path", () => {
  const rule = ruleDefinition({
    rulePayload: { payload: { doorName: "x" }, recipients: { event_path: "payload.residents" } },
  });
  assert.deepEqual(
    buildFiring(rule, key, context({ residents: [RESIDENT, RESIDENT] }), validatePayload)
      .recipients,
    [RESIDENT],
  );
  const bad = buildFiring(rule, key, context({ residents: ["not-a-uuid"] }), validatePayload);
  assert.equal(bad.outcome, "failed");
  assert.match(bad.reason!, /payload\.residents holds "not-a-uuid", not a uuid/);
  const missing = buildFiring(rule, key, context({}), validatePayload);
  assert.match(missing.reason!, /payload\.residents is not a uuid or a non-empty list/);
});

Deno.test("a payload that fails the workflow's payload_schema is a failed firing saying why", () => {
  const firing = buildFiring(ruleDefinition(), key, context({}), validatePayload);
  assert.equal(firing.outcome, "failed");
  assert.match(firing.reason!, /payload does not match payload_schema/);
  assert.equal(firing.payload, undefined);
});

Deno.test("a payload template that cannot render is a failed firing", () => {
  const rule = ruleDefinition({
    rulePayload: { payload: { doorName: "{{#open}}" }, recipients: [RESIDENT] },
  });
  assert.match(buildFiring(rule, key, context({}), validatePayload).reason!, /^payload: /);
});
