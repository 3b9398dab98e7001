import assert from "node:assert/strict";
import { renderPayload } from "./payload.ts";

Deno.test("strings are mustache templates over the firing context; other values are kept", () => {
  const context = {
    rule: { name: "Door forced open" },
    fire_at: "2027-03-28T01:00:00.000Z",
    event: { payload: { doorName: "North <gate>", floor: 3 } },
  };
  assert.deepEqual(
    renderPayload({
      title: "{{rule.name}}: {{event.payload.doorName}}",
      when: "{{fire_at}}",
      floor: 3,
      urgent: true,
      nothing: null,
      lines: ["floor {{event.payload.floor}}", "fixed"],
      nested: { missing: "[{{event.payload.absent}}]" },
    }, context),
    {
      title: "Door forced open: North <gate>",
      when: "2027-03-28T01:00:00.000Z",
      floor: 3,
      urgent: true,
      nothing: null,
      lines: ["floor 3", "fixed"],
      nested: { missing: "[]" },
    },
  );
});

Deno.test("an unclosed section is an error", () => {
  assert.throws(() => renderPayload({ a: "{{#event}}open" }, { event: {} }), /Unclosed section/);
});
