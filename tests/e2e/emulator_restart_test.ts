/**
 * Novu Cloud keeps the workflows it was synced (issue 10): the emulator keeps them across a
 * restart too (`.local/novu/workflows.json`), so `./dev down && ./dev up` does not leave a Novu
 * that knows nothing while XNovu's sync log says it is up to date. Runs with the tests that
 * restart services, after the others (deno.json `test:e2e`): the emulator's events go with it.
 */
import assert from "node:assert/strict";
import { assertDeliveredHistory, assertSingleDelivery } from "./support/assertions.ts";
import { createWorkflow, lastSyncId, MAINTENANCE, waitForSync } from "./support/novu-sync.ts";
import {
  connect,
  EMULATOR_URL,
  insertAsMember,
  type Json,
  platform,
  recipientIds,
  startServices,
  uniqueName,
  waitForFinishedEvents,
  waitForStatus,
} from "./support/platform.ts";

async function emulatorState(): Promise<{ workflowIds: string[]; syncs: number }> {
  const workflows = await (await fetch(`${EMULATOR_URL}/_emulator/workflows`)).json();
  const events = await (await fetch(`${EMULATOR_URL}/_emulator/events?limit=1`)).json();
  return {
    workflowIds: workflows.workflows.map((workflow: Json) => workflow.workflowId),
    syncs: events.counters.syncs,
  };
}

Deno.test("the Novu emulator restarted runs the workflows it was synced before, without a new sync, as Novu Cloud would", async () => {
  const sql = connect();
  const workflowKey = uniqueName("kept-across-restart");
  try {
    await createWorkflow(sql, workflowKey, ["IN_APP"]);
    await waitForSync(sql, workflowKey);
    const before = await emulatorState();
    assert.ok(before.workflowIds.includes(workflowKey));
    const syncId = await lastSyncId(sql);

    await platform("service_stop novu-emulator");
    await startServices();

    const after = await emulatorState();
    assert.deepEqual(after, before, "the same workflows and sync count after the restart");
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("after-restart-notification"),
      workflowKey,
      payload: MAINTENANCE,
      recipients: recipientIds(1),
    }]);
    await waitForStatus(sql, id, "SENT", 30_000);
    await assertDeliveredHistory(sql, id);
    assertSingleDelivery(await waitForFinishedEvents(id), id);
    assert.equal(await lastSyncId(sql), syncId, "no sync was needed");
  } finally {
    await sql`delete from notify.ent_notification_workflow where workflow_key = ${workflowKey}`;
    await waitForSync(sql, workflowKey);
    await sql.end();
  }
});
