import assert from "node:assert/strict";
import { MAX_REQUEST_BODY_BYTES } from "../http/body.ts";
import { signNovuRequest } from "../novu/signature.ts";
import { createBridgeHandler } from "./bridge.ts";
import type { WorkflowRow } from "./plan.ts";
import type { StepRenderRequest } from "./steps.ts";

const STATIC_WORKFLOW_COUNT = 7;
const STATIC_STEP_COUNT = 1 + 1 + 1 + 1 + 1 + 5 + 5;

function dynamicRow(key: string, channels: WorkflowRow["default_channels"]) {
  return {
    id: "1",
    workflow_key: key,
    workflow_type: "DYNAMIC",
    name: key,
    description: null,
    enterprise_id: null,
    default_channels: channels,
    payload_schema: null,
    template_overrides: {},
    updated_at: "2026-12-01 10:00:00+00",
  } satisfies WorkflowRow;
}

function fakeBridge(initialRows: WorkflowRow[]) {
  const state = { now: 0, rows: initialRows, reads: 0 };
  const handle = createBridgeHandler({
    secretKey: "unit-secret",
    now: () => state.now,
    dynamicRowsTtlMs: 500,
    loadDynamicWorkflows: () => {
      state.reads += 1;
      return Promise.resolve(state.rows);
    },
    render: (_request: StepRenderRequest) => Promise.resolve({ body: "unused" }),
  });
  const discovered = async () => {
    const response = await handle(new Request("http://bridge.test/?action=health-check"));
    assert.equal(response.status, 200);
    return (await response.json()).discovered as { workflows: number; steps: number };
  };
  return { state, handle, discovered };
}

Deno.test("health-check counts the static workflows plus one per dynamic row", async () => {
  const bridge = fakeBridge([dynamicRow("dyn-a", ["EMAIL", "SMS"])]);
  assert.deepEqual(await bridge.discovered(), {
    workflows: STATIC_WORKFLOW_COUNT + 1,
    steps: STATIC_STEP_COUNT + 2,
  });
});

Deno.test("rows are read once per TTL window and a changed set shows after it", async () => {
  const bridge = fakeBridge([]);
  assert.equal((await bridge.discovered()).workflows, STATIC_WORKFLOW_COUNT);
  bridge.state.rows = [dynamicRow("dyn-new", ["IN_APP"])];
  bridge.state.now = 499;
  assert.equal((await bridge.discovered()).workflows, STATIC_WORKFLOW_COUNT);
  assert.equal(bridge.state.reads, 1);
  bridge.state.now = 500;
  assert.equal((await bridge.discovered()).workflows, STATIC_WORKFLOW_COUNT + 1);
  assert.equal(bridge.state.reads, 2);
});

Deno.test("a removed row disappears and an edited row's steps change", async () => {
  const bridge = fakeBridge([dynamicRow("dyn-x", ["EMAIL"]), dynamicRow("dyn-y", ["SMS"])]);
  assert.deepEqual(await bridge.discovered(), {
    workflows: STATIC_WORKFLOW_COUNT + 2,
    steps: STATIC_STEP_COUNT + 2,
  });
  bridge.state.rows = [dynamicRow("dyn-x", ["EMAIL", "PUSH", "CHAT"])];
  bridge.state.now = 1000;
  assert.deepEqual(await bridge.discovered(), {
    workflows: STATIC_WORKFLOW_COUNT + 1,
    steps: STATIC_STEP_COUNT + 3,
  });
});

Deno.test("a row cannot replace a static workflow of the same key", async () => {
  const bridge = fakeBridge([dynamicRow("default-email", ["SMS", "PUSH"])]);
  assert.deepEqual(await bridge.discovered(), {
    workflows: STATIC_WORKFLOW_COUNT,
    steps: STATIC_STEP_COUNT,
  });
});

Deno.test("concurrent requests share one read of the rows", async () => {
  const bridge = fakeBridge([]);
  await Promise.all([bridge.discovered(), bridge.discovered(), bridge.discovered()]);
  assert.equal(bridge.state.reads, 1);
});

Deno.test("a body past the bound is 413 before the signature is checked or a row is read", async () => {
  const bridge = fakeBridge([]);
  const response = await bridge.handle(
    new Request("http://bridge.test/?action=execute&workflowId=x&stepId=y", {
      method: "POST",
      headers: { "novu-signature": "t=1,v1=forged" },
      body: "x".repeat(MAX_REQUEST_BODY_BYTES + 1),
    }),
  );
  assert.equal(response.status, 413);
  assert.equal((await response.json()).error, "PAYLOAD_TOO_LARGE");
  assert.equal(bridge.state.reads, 0);
});

const ENTERPRISE = "11111111-1111-4111-8111-111111111111";

async function signedExecute(workflowId: string, notificationId: number) {
  const body = JSON.stringify({
    payload: { _xnovu: { notification_id: notificationId, enterprise_id: ENTERPRISE } },
    subscriber: { subscriberId: "subscriber-1" },
    state: [],
    controls: {},
    context: {},
  });
  return new Request(
    `http://bridge.test/?action=execute&workflowId=${workflowId}&stepId=sms`,
    {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "novu-signature": await signNovuRequest("unit-secret", body, Date.now()),
      },
      body,
    },
  );
}

function bridgeWithWithdrawn(rows: WorkflowRow[], withdrawn: WorkflowRow | undefined) {
  const lookups: Array<[number, string, string]> = [];
  const handle = createBridgeHandler({
    secretKey: "unit-secret",
    now: () => 0,
    loadDynamicWorkflows: () => Promise.resolve(rows),
    loadWithdrawnWorkflow: (notificationId, enterpriseId, workflowKey) => {
      lookups.push([notificationId, enterpriseId, workflowKey]);
      return Promise.resolve(withdrawn);
    },
    render: (request: StepRenderRequest) =>
      Promise.resolve({ body: `rendered ${request.channel} from ${request.template}` }),
  });
  return { handle, lookups };
}

Deno.test("an event of a notification sent before its workflow was withdrawn runs on it as it was", async () => {
  const bridge = bridgeWithWithdrawn([], {
    ...dynamicRow("dyn-gone", ["SMS"]),
    template_overrides: { SMS: "gone-sms" },
  });
  const response = await bridge.handle(await signedExecute("dyn-gone", 42));
  assert.equal(response.status, 200, await response.clone().text());
  assert.deepEqual((await response.json()).outputs, { body: "rendered SMS from gone-sms" });
  assert.deepEqual(bridge.lookups, [[42, ENTERPRISE, "dyn-gone"]]);
  const discover = await bridge.handle(new Request("http://bridge.test/?action=health-check"));
  assert.equal((await discover.json()).discovered.workflows, STATIC_WORKFLOW_COUNT);
});

Deno.test("other events of a withdrawn workflow still fail, and served workflows are never looked up", async () => {
  const bridge = bridgeWithWithdrawn([{
    ...dynamicRow("dyn-live", ["SMS"]),
    template_overrides: { SMS: "live-sms" },
  }], undefined);
  const refused = await bridge.handle(await signedExecute("dyn-gone", 43));
  assert.notEqual(refused.status, 200);
  await refused.body?.cancel();
  assert.deepEqual(bridge.lookups, [[43, ENTERPRISE, "dyn-gone"]]);
  const live = await bridge.handle(await signedExecute("dyn-live", 44));
  assert.equal(live.status, 200);
  await live.body?.cancel();
  assert.equal(bridge.lookups.length, 1);
});
