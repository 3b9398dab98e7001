import assert from "node:assert/strict";
import { parseTemplateReference } from "./engine-renderer.ts";

Deno.test("digits are a template id, anything else a template key", () => {
  assert.deepEqual(parseTemplateReference("42"), { id: 42 });
  assert.deepEqual(parseTemplateReference("fire-alarm-email"), { key: "fire-alarm-email" });
  assert.deepEqual(parseTemplateReference("42a"), { key: "42a" });
});
