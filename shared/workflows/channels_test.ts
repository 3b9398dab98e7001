import assert from "node:assert/strict";
import { channelIsRequested, xnovuEnvelopeSchema } from "./channels.ts";

Deno.test("a channel left out of the notification's channels is not requested", () => {
  const envelope = { channels: ["EMAIL" as const, "SMS" as const] };
  assert.equal(channelIsRequested(envelope, "EMAIL"), true);
  assert.equal(channelIsRequested(envelope, "SMS"), true);
  assert.equal(channelIsRequested(envelope, "IN_APP"), false);
  assert.equal(channelIsRequested(envelope, "PUSH"), false);
});

Deno.test("without channels (or without an envelope) every channel is requested", () => {
  assert.equal(channelIsRequested({}, "CHAT"), true);
  assert.equal(channelIsRequested(undefined, "PUSH"), true);
});

Deno.test("an empty channel list requests nothing", () => {
  assert.equal(channelIsRequested({ channels: [] }, "EMAIL"), false);
});

Deno.test("the envelope requires a uuid enterprise and known channels", () => {
  const valid = {
    notification_id: 42,
    enterprise_id: "11111111-1111-4111-8111-111111111111",
    channels: ["EMAIL"],
  };
  assert.equal(xnovuEnvelopeSchema.safeParse(valid).success, true);
  assert.equal(xnovuEnvelopeSchema.safeParse({ ...valid, notification_id: "42" }).success, true);
  assert.equal(
    xnovuEnvelopeSchema.safeParse({ ...valid, enterprise_id: "subscriber-123" }).success,
    false,
  );
  assert.equal(xnovuEnvelopeSchema.safeParse({ ...valid, channels: ["FAX"] }).success, false);
  const { enterprise_id: _omitted, ...withoutEnterprise } = valid;
  assert.equal(xnovuEnvelopeSchema.safeParse(withoutEnterprise).success, false);
});
