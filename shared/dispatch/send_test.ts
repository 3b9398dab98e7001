import assert from "node:assert/strict";
import { classifyTriggerOutcome } from "./send.ts";

// One case per value of TriggerEventResponseDtoStatus in @novu/api 3.19.1
// (src/models/components/triggereventresponsedto.ts), plus a status that enum does not know.
Deno.test("Novu's processed answer is delivered: no failure", () => {
  assert.deepEqual(classifyTriggerOutcome({ status: "processed" }), null);
});

for (
  const status of [
    "error",
    "trigger_not_active",
    "no_workflow_active_steps_defined",
    "no_workflow_steps_defined",
    "no_tenant_found",
    "invalid_recipients",
    "a_status_from_a_newer_novu",
  ]
) {
  Deno.test(`Novu's ${status} answer fails the notification at once with the answer kept`, () => {
    const answer = { status, error: ["why Novu will not run it"] };
    assert.deepEqual(classifyTriggerOutcome(answer), {
      kind: "novu_rejected",
      retryable: false,
      message:
        `Novu accepted the trigger but will not run it: ${status} (why Novu will not run it)`,
      upstreamStatus: 201,
      upstreamBody: `{"status":"${status}","error":["why Novu will not run it"]}`,
    });
  });
}
