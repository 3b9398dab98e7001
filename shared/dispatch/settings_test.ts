import assert from "node:assert/strict";
import { parseDispatchSettings } from "./settings.ts";

Deno.test("unset settings keep the defaults", () => {
  assert.deepEqual(parseDispatchSettings({}), {
    batchSize: 100,
    visibilityTimeoutSeconds: 30,
    maxAttempts: 5,
    backoff: { baseMs: 2_000, capMs: 300_000 },
    triggerConcurrency: 16,
    fairLanes: true,
  });
});

Deno.test("set settings override; garbage and out-of-range values do not", () => {
  const settings = parseDispatchSettings({
    dispatch_max_attempts: "3",
    dispatch_backoff_base_ms: "100",
    dispatch_backoff_cap_ms: "abc",
    dispatch_visibility_timeout_s: "-4",
    dispatch_batch_size: "500",
  });
  assert.equal(settings.maxAttempts, 3);
  assert.deepEqual(settings.backoff, { baseMs: 100, capMs: 300_000 });
  assert.equal(settings.visibilityTimeoutSeconds, 30);
  assert.equal(settings.batchSize, 100);
});

Deno.test("fair lanes are on unless the setting says off", () => {
  assert.equal(parseDispatchSettings({ dispatch_fair_lanes: "on" }).fairLanes, true);
  assert.equal(parseDispatchSettings({ dispatch_fair_lanes: "nonsense" }).fairLanes, true);
  assert.equal(parseDispatchSettings({ dispatch_fair_lanes: "off" }).fairLanes, false);
});
