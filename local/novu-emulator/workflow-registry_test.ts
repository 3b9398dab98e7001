import assert from "node:assert/strict";
import { registryFile, WorkflowRegistry } from "./workflow-registry.ts";

const EMAIL = [{ stepId: "email", type: "email" }];
const IN_APP = [{ stepId: "in-app", type: "in_app" }];

Deno.test("registry file: a new registry (the emulator restarted) has the last sync's bridge, workflows and dashboard edits", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/novu/workflows.json`;
  try {
    const before = new WorkflowRegistry(registryFile(path));
    before.replace("http://bridge.test/first", [
      { workflowId: "gone", steps: EMAIL, active: true },
    ], 1_000);
    before.replace("http://bridge.test/novu-bridge", [
      { workflowId: "welcome", steps: EMAIL, active: true },
      { workflowId: "digest", steps: IN_APP, active: true },
      { workflowId: "deleted-in-dashboard", steps: EMAIL, active: true },
    ], 2_000);
    before.setActive("digest", false);
    before.remove("deleted-in-dashboard");

    const after = new WorkflowRegistry(registryFile(path));
    assert.equal(after.bridgeUrl, "http://bridge.test/novu-bridge");
    assert.equal(after.syncs, 2);
    assert.deepEqual(after.list(), [
      { workflowId: "welcome", steps: EMAIL, active: true, syncedAt: 2_000 },
      { workflowId: "digest", steps: IN_APP, active: false, syncedAt: 2_000 },
    ]);
    assert.equal(after.get("gone"), undefined, "a workflow the last sync deleted stays deleted");

    // The restarted registry goes on saving.
    after.replace("http://bridge.test/novu-bridge", [], 3_000);
    assert.deepEqual(new WorkflowRegistry(registryFile(path)).list(), []);
    assert.deepEqual(
      Deno.readDirSync(`${dir}/novu`).map((entry) => entry.name).toArray(),
      ["workflows.json"],
      "no temporary file is left behind",
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("registry file: none yet is an empty Novu; a file that is not a registry stops the emulator", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const fresh = new WorkflowRegistry(registryFile(`${dir}/workflows.json`));
    assert.deepEqual([fresh.bridgeUrl, fresh.syncs, fresh.list()], [undefined, 0, []]);
    Deno.writeTextFileSync(`${dir}/other.json`, JSON.stringify({ events: [] }));
    assert.throws(
      () => new WorkflowRegistry(registryFile(`${dir}/other.json`)),
      /is not a Novu emulator workflow registry/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("registry without a file: nothing is written", () => {
  const registry = new WorkflowRegistry();
  registry.replace(
    "http://bridge.test",
    [{ workflowId: "welcome", steps: EMAIL, active: true }],
    1,
  );
  assert.equal(new WorkflowRegistry().get("welcome"), undefined);
});
