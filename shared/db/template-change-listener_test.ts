import assert from "node:assert/strict";
import type { InvalidateSelector } from "../templates/mod.ts";
import {
  type Listen,
  listenForTemplateChanges,
  TEMPLATE_CHANGED_CHANNEL,
} from "./template-change-listener.ts";

/** A subscription the test drives: it delivers notifications and (re)connects on demand. */
function fakeSubscription(failures = 0) {
  const state = {
    channel: "",
    attempts: 0,
    notify: (_payload: string) => {},
    reconnect: () => {},
  };
  const listen: Listen = (channel, onNotify, onListen) => {
    state.attempts++;
    if (state.attempts <= failures) return Promise.reject(new Error("connection refused"));
    state.channel = channel;
    state.notify = onNotify;
    state.reconnect = onListen;
    onListen();
    return Promise.resolve({});
  };
  return { state, listen };
}

function recordingEngine() {
  const calls: Array<InvalidateSelector | "clear"> = [];
  return {
    calls,
    engine: {
      invalidate: (selector: InvalidateSelector) => void calls.push(selector),
      clear: () => void calls.push("clear"),
    },
  };
}

const noLog = () => {};

Deno.test("a change of an enterprise row invalidates its id, key and enterprise", async () => {
  const { state, listen } = fakeSubscription();
  const { calls, engine } = recordingEngine();
  await listenForTemplateChanges({ listen, engine, logError: noLog });
  assert.equal(state.channel, TEMPLATE_CHANGED_CHANNEL);
  calls.length = 0;
  state.notify(
    '{"id": 42, "template_key": "acme-footer", "enterprise_id": "11111111-1111-4111-8111-111111111111"}',
  );
  assert.deepEqual(calls, [
    { id: 42, key: "acme-footer", enterpriseId: "11111111-1111-4111-8111-111111111111" },
  ]);
});

Deno.test("a shared row without a key invalidates by id across enterprises", async () => {
  const { state, listen } = fakeSubscription();
  const { calls, engine } = recordingEngine();
  await listenForTemplateChanges({ listen, engine, logError: noLog });
  calls.length = 0;
  state.notify('{"id": 7, "template_key": null, "enterprise_id": null}');
  assert.deepEqual(calls, [{ id: 7, enterpriseId: null }]);
});

Deno.test("every (re)LISTEN clears the cache: changes while disconnected were missed", async () => {
  const { state, listen } = fakeSubscription();
  const { calls, engine } = recordingEngine();
  await listenForTemplateChanges({ listen, engine, logError: noLog });
  assert.deepEqual(calls, ["clear"]);
  state.reconnect();
  assert.deepEqual(calls, ["clear", "clear"]);
});

Deno.test("an unreadable payload clears the cache and is logged", async () => {
  const { state, listen } = fakeSubscription();
  const { calls, engine } = recordingEngine();
  const logged: string[] = [];
  await listenForTemplateChanges({ listen, engine, logError: (message) => logged.push(message) });
  calls.length = 0;
  state.notify('{"id": "42"}');
  state.notify("not json");
  assert.deepEqual(calls, ["clear", "clear"]);
  assert.equal(logged.length, 2);
});

Deno.test("a LISTEN that fails to start is retried after the delay", async () => {
  const { state, listen } = fakeSubscription(2);
  const { calls, engine } = recordingEngine();
  const waits: number[] = [];
  await listenForTemplateChanges({
    listen,
    engine,
    logError: noLog,
    retryDelayMs: 250,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  assert.equal(state.attempts, 3);
  assert.deepEqual(waits, [250, 250]);
  assert.deepEqual(calls, ["clear"]);
});
