import assert from "node:assert/strict";
import { stepOutput } from "./steps.ts";

Deno.test("email and push fall back to the workflow name when the template has no subject", () => {
  assert.deepEqual(stepOutput("EMAIL", { body: "<p>b</p>" }, "Fire alert"), {
    subject: "Fire alert",
    body: "<p>b</p>",
  });
  assert.deepEqual(stepOutput("PUSH", { subject: "  ", body: "b" }, "Fire alert"), {
    subject: "Fire alert",
    body: "b",
  });
  assert.deepEqual(stepOutput("EMAIL", { subject: "S", body: "b" }, "Fire alert"), {
    subject: "S",
    body: "b",
  });
});

Deno.test("in-app leaves out an empty subject; sms and chat carry only the body", () => {
  assert.deepEqual(stepOutput("IN_APP", { subject: "", body: "b" }, "W"), { body: "b" });
  assert.deepEqual(stepOutput("IN_APP", { subject: "S", body: "b" }, "W"), {
    subject: "S",
    body: "b",
  });
  assert.deepEqual(stepOutput("SMS", { subject: "S", body: "b" }, "W"), { body: "b" });
  assert.deepEqual(stepOutput("CHAT", { subject: "S", body: "b" }, "W"), { body: "b" });
});
