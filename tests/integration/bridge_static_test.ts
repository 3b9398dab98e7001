import assert from "node:assert/strict";
import { callBridge, executeStep } from "../support/bridge.ts";
import { ENTERPRISE_A } from "../support/env.ts";

const ENVELOPE = { notification_id: 901, enterprise_id: ENTERPRISE_A };
const FIRE_STEPS = ["email", "in-app", "sms", "push", "chat"];
const FIRE_PAYLOAD = {
  building: "Tower <A>",
  floor: 3,
  severity: "HIGH",
  instructions: "Use the stairs & leave now",
  evacuation_point: "Car park B",
  _xnovu: ENVELOPE,
};

Deno.test("health-check answers without a signature", async () => {
  const { status, body } = await callBridge({ query: { action: "health-check" }, signature: null });
  assert.equal(status, 200);
  assert.equal(body.status, "ok");
  assert.equal(body.sdkVersion, "2.13.2");
  assert.ok(body.discovered.workflows >= 7);
});

Deno.test("discover lists every static workflow with its channel steps and schema", async () => {
  const { status, body } = await callBridge({ query: { action: "discover" } });
  assert.equal(status, 200);
  const byId = new Map(body.workflows.map((w: { workflowId: string }) => [w.workflowId, w]));
  const expectedSteps: Record<string, [string, string][]> = {
    "default-email": [["email", "email"]],
    "default-in-app": [["in-app", "in_app"]],
    "default-sms": [["sms", "sms"]],
    "default-push": [["push", "push"]],
    "default-chat": [["chat", "chat"]],
    "default-multi-channel": [
      ["email", "email"],
      ["in-app", "in_app"],
      ["sms", "sms"],
      ["push", "push"],
      ["chat", "chat"],
    ],
    "fire-emergency-alert": [
      ["email", "email"],
      ["in-app", "in_app"],
      ["sms", "sms"],
      ["push", "push"],
      ["chat", "chat"],
    ],
  };
  for (const [workflowId, steps] of Object.entries(expectedSteps)) {
    const workflow = byId.get(workflowId) as {
      steps: { stepId: string; type: string }[];
      payload: { schema: { required: string[]; properties: Record<string, unknown> } };
    };
    assert.ok(workflow, `${workflowId} is discovered`);
    assert.deepEqual(workflow.steps.map((step) => [step.stepId, step.type]), steps);
    assert.ok(workflow.payload.schema.required.includes("_xnovu"), `${workflowId} needs _xnovu`);
  }
  const fire = byId.get("fire-emergency-alert") as {
    payload: { schema: { required: string[]; properties: Record<string, { enum?: string[] }> } };
  };
  assert.deepEqual(fire.payload.schema.required, [
    "building",
    "floor",
    "severity",
    "instructions",
    "_xnovu",
  ]);
  assert.deepEqual(fire.payload.schema.properties.severity.enum, [
    "LOW",
    "MEDIUM",
    "HIGH",
    "CRITICAL",
  ]);
});

Deno.test("fire-emergency-alert renders every channel, data escaped or plain", async () => {
  const expected: Record<string, unknown> = {
    email: {
      subject: "FIRE ALERT (HIGH): Tower <A>, floor 3",
      body: "<h1>Fire alert: Tower &lt;A&gt;</h1><p>Floor 3, severity HIGH.</p>" +
        "<p>Use the stairs &amp; leave now</p><p>Evacuation point: Car park B</p>",
    },
    "in-app": {
      subject: "Fire alert: Tower <A>",
      body: "<p><strong>Floor 3</strong> (HIGH): Use the stairs &amp; leave now</p>",
    },
    sms: { body: "FIRE ALERT HIGH Tower <A> floor 3: Use the stairs & leave now" },
    push: { subject: "Fire alert: Tower <A>", body: "Floor 3 (HIGH): Use the stairs & leave now" },
    chat: { body: "FIRE ALERT (HIGH) Tower <A>, floor 3. Use the stairs & leave now" },
  };
  for (const [index, stepId] of FIRE_STEPS.entries()) {
    const { status, body } = await executeStep({
      workflowId: "fire-emergency-alert",
      stepId,
      payload: FIRE_PAYLOAD,
      completedStepIds: FIRE_STEPS.slice(0, index),
    });
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body.outputs, expected[stepId], stepId);
    assert.deepEqual(body.options, { skip: false });
  }
});

Deno.test("a script in email data cannot become markup", async () => {
  const { status, body } = await executeStep({
    workflowId: "default-email",
    stepId: "email",
    payload: {
      subject: "Water off",
      body: '<script>alert(1)</script><img src=x onerror="alert(2)">',
      _xnovu: ENVELOPE,
    },
  });
  assert.equal(status, 200);
  assert.deepEqual(body.outputs, {
    subject: "Water off",
    body: "<p>&lt;script&gt;alert(1)&lt;&#x2F;script&gt;&lt;img src&#x3D;x onerror&#x3D;&quot;" +
      "alert(2)&quot;&gt;</p>",
  });
});

Deno.test("steps outside the notification's channels are skipped", async () => {
  const payload = {
    subject: "Water off",
    body: "Floors 1-3 tonight",
    _xnovu: { ...ENVELOPE, channels: ["EMAIL", "PUSH"] },
  };
  const outcomes: Record<string, boolean> = {};
  for (const [index, stepId] of FIRE_STEPS.entries()) {
    const { status, body } = await executeStep({
      workflowId: "default-multi-channel",
      stepId,
      payload,
      completedStepIds: FIRE_STEPS.slice(0, index),
    });
    assert.equal(status, 200, JSON.stringify(body));
    outcomes[stepId] = body.options.skip;
    if (body.options.skip) assert.deepEqual(body.outputs, {});
  }
  assert.deepEqual(outcomes, {
    email: false,
    "in-app": true,
    sms: true,
    push: false,
    chat: true,
  });
});

Deno.test("a payload that fails the workflow's schema gets Novu's 400", async () => {
  const wrongSeverity = await executeStep({
    workflowId: "fire-emergency-alert",
    stepId: "email",
    payload: { ...FIRE_PAYLOAD, severity: "EXTREME" },
  });
  assert.equal(wrongSeverity.status, 400);
  assert.equal(wrongSeverity.body.code, "ExecutionEventPayloadInvalidError");
  assert.deepEqual(wrongSeverity.body.data.map((issue: { path: string }) => issue.path), [
    "/severity",
  ]);

  const { _xnovu: _envelope, ...withoutEnvelope } = FIRE_PAYLOAD;
  const noEnvelope = await executeStep({
    workflowId: "fire-emergency-alert",
    stepId: "email",
    payload: withoutEnvelope,
  });
  assert.equal(noEnvelope.status, 400);
  assert.equal(noEnvelope.body.code, "ExecutionEventPayloadInvalidError");

  const subscriberAsEnterprise = await executeStep({
    workflowId: "fire-emergency-alert",
    stepId: "email",
    payload: { ...FIRE_PAYLOAD, _xnovu: { notification_id: 1, enterprise_id: "subscriber-1" } },
  });
  assert.equal(subscriberAsEnterprise.status, 400);
});
