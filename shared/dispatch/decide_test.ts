import assert from "node:assert/strict";
import { type ClaimedNotification, decideMessage } from "./decide.ts";

const row = (overrides: Partial<ClaimedNotification>): ClaimedNotification => ({
  id: 9,
  claimed: false,
  status: "PENDING",
  publishStatus: "PUBLISH",
  deactivated: false,
  secondsUntilDue: 0,
  enterpriseId: "11111111-1111-4111-8111-111111111111",
  workflowId: 1,
  payload: {},
  recipients: ["user-1"],
  channels: ["EMAIL"],
  overrides: null,
  tags: null,
  ...overrides,
});

Deno.test("a claimed notification is sent", () => {
  const claimed = row({ claimed: true, status: "PROCESSING" });
  assert.deepEqual(decideMessage(claimed), { action: "send", notification: claimed });
});

Deno.test("a notification not yet due delays its message until it is", () => {
  assert.deepEqual(decideMessage(row({ secondsUntilDue: 120 })), { action: "delay", seconds: 120 });
  assert.deepEqual(decideMessage(row({ secondsUntilDue: 0 })), { action: "delay", seconds: 1 });
  // pgmq delays are whole seconds: rounded down, the message surfaces at or before the instant.
  assert.deepEqual(decideMessage(row({ secondsUntilDue: 2.7 })), { action: "delay", seconds: 2 });
});

Deno.test("a row due within a second is held by the batch until its instant, unless holding is over", () => {
  assert.deepEqual(decideMessage(row({ secondsUntilDue: 0.2501 })), { action: "hold", ms: 251 });
  assert.deepEqual(decideMessage(row({ secondsUntilDue: 0.25 }), false), {
    action: "delay",
    seconds: 1,
  });
});

Deno.test("anything that must not be sent loses its message", () => {
  const cases: Array<[ClaimedNotification | undefined, string]> = [
    [undefined, "notification no longer exists"],
    [row({ status: null }), "notification no longer exists"],
    [row({ status: "RETRACTED" }), "notification is RETRACTED"],
    [row({ status: "SENT" }), "notification is SENT"],
    [row({ status: "FAILED" }), "notification is FAILED"],
    [row({ publishStatus: "DRAFT" }), "notification is DRAFT"],
    [row({ deactivated: true }), "notification is deactivated"],
  ];
  for (const [state, reason] of cases) {
    assert.deepEqual(decideMessage(state), { action: "delete", reason });
  }
});
