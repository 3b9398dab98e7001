import assert from "node:assert/strict";
import { conditionsHold } from "./conditions.ts";

const context = {
  rule: { id: 1, name: "r" },
  event: {
    name: "door.forced_open",
    payload: { floor: 3, doorName: "North gate", expected: false },
  },
};

Deno.test("no conditions always hold", () => {
  assert.equal(conditionsHold(undefined, context), true);
});

Deno.test("JSON Logic conditions over the event payload hold or not", () => {
  assert.equal(conditionsHold({ "==": [{ var: "event.payload.floor" }, 3] }, context), true);
  assert.equal(conditionsHold({ ">": [{ var: "event.payload.floor" }, 5] }, context), false);
  assert.equal(
    conditionsHold({
      and: [{ "!=": [{ var: "event.payload.expected" }, true] }, {
        in: ["gate", { var: "event.payload.doorName" }],
      }],
    }, context),
    true,
  );
});

Deno.test("an unknown operation is an error, not a silent false", () => {
  assert.throws(() => conditionsHold({ eval: ["1"] }, context), /Unrecognized operation eval/);
});
