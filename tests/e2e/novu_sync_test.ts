/**
 * Issue 10: Novu Cloud runs only the workflows of its last sync, so XNovu syncs by itself
 * (the novu-sync function) and a notification whose workflow changed since waits for it.
 */
import assert from "node:assert/strict";
import { Novu } from "@novu/api";
import { ENTERPRISE_A, NOVU_SECRET_KEY } from "../support/env.ts";
import { assertDeliveredHistory, assertSingleDelivery } from "./support/assertions.ts";
import {
  clearFaults,
  connect,
  EMULATOR_URL,
  emulatorEvents,
  history,
  insertAsMember,
  type Json,
  notificationState,
  recipientIds,
  setFaults,
  type Sql,
  stepsOf,
  uniqueName,
  waitFor,
  waitForFinishedEvents,
  waitForStatus,
  withDispatchSettings,
} from "./support/platform.ts";
import {
  createWorkflow,
  lastSyncId,
  MAINTENANCE,
  overridesFor,
  waitForSync,
} from "./support/novu-sync.ts";

async function syncsSince(sql: Sql, syncId: number) {
  return await sql<
    {
      outcome: string;
      http_status: number | null;
      synced_workflows: string[] | null;
      error: string | null;
      retry_at: Date | null;
    }[]
  >`
    select outcome, http_status, synced_workflows, error, retry_at
      from notify_internal.novu_sync where id > ${syncId} order by id`;
}

async function syncedWorkflowIds(): Promise<string[]> {
  const response = await fetch(`${EMULATOR_URL}/_emulator/workflows`);
  assert.equal(response.status, 200);
  return (await response.json()).workflows.map((workflow: Json) => workflow.workflowId);
}

/** Novu's API as anyone holding the secret key calls it, bypassing XNovu's dispatcher. */
const novu = new Novu({
  secretKey: NOVU_SECRET_KEY,
  serverURL: EMULATOR_URL,
  retryConfig: { strategy: "none" },
});

/** A trigger straight to Novu: its status, or the HTTP status and body it was refused with. */
async function triggerDirectly(workflowId: string, transactionId: string) {
  try {
    const { result } = await novu.trigger({
      workflowId,
      to: recipientIds(1)[0],
      payload: { ...MAINTENANCE, _xnovu: { notification_id: 1, enterprise_id: ENTERPRISE_A } },
      transactionId,
    });
    return { status: 201, answer: result.status as string };
  } catch (error) {
    const refusal = error as { statusCode?: number; body?: string };
    return { status: refusal.statusCode, answer: JSON.parse(refusal.body ?? "{}").message };
  }
}

/** The notification's waits for a Novu sync: retries that spent no attempt. */
async function syncWaits(sql: Sql, id: number): Promise<Json[]> {
  return (await history(sql, id))
    .map((entry) => entry.details?.error_details)
    .filter((details) => details?.kind === "awaiting_novu_sync");
}

Deno.test("a workflow published a moment before its notification: XNovu syncs Novu by itself and the notification waits for the sync, spending no attempt", async () => {
  const sql = connect();
  const workflowKey = uniqueName("synced");
  try {
    const before = await lastSyncId(sql);
    await createWorkflow(sql, workflowKey, ["IN_APP"]);
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("synced-notification"),
      workflowKey,
      payload: MAINTENANCE,
      recipients: recipientIds(1),
    }]);
    await waitForStatus(sql, id, "SENT", 30_000);
    await assertDeliveredHistory(sql, id);
    const waits = await syncWaits(sql, id);
    assert.ok(waits.length >= 1, "the notification waited for the sync");
    assert.ok(waits.every((wait) => wait.attempts === 0), JSON.stringify(waits));
    const syncs = await syncsSince(sql, before);
    assert.ok(
      syncs.some((sync) =>
        sync.outcome === "succeeded" && sync.http_status === 201 &&
        sync.synced_workflows?.includes(workflowKey)
      ),
      JSON.stringify(syncs),
    );
    assert.ok((await syncedWorkflowIds()).includes(workflowKey));
    const steps = stepsOf(assertSingleDelivery(await waitForFinishedEvents(id), id));
    assert.deepEqual(Object.keys(steps), ["in-app"]);
  } finally {
    await sql`delete from notify.ent_notification_workflow where workflow_key = ${workflowKey}`;
    await sql.end();
  }
});

Deno.test("a failed sync is recorded and retried after its backoff; the notification waits meanwhile and is sent once", async () => {
  const sql = connect();
  const workflowKey = uniqueName("sync-retried");
  try {
    const before = await lastSyncId(sql);
    await setFaults({ syncFailNext: 1 });
    await createWorkflow(sql, workflowKey, ["SMS"]);
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("sync-retried-notification"),
      workflowKey,
      payload: MAINTENANCE,
      recipients: recipientIds(1),
      channels: ["SMS"],
    }]);
    // Until a sync succeeds Novu does not know the workflow: a trigger is its 422, and the
    // notification waits.
    await waitFor(
      async () =>
        (await syncsSince(sql, before)).some((sync) => sync.outcome === "failed") || undefined,
      { what: "the failed sync", timeoutMs: 20_000 },
    );
    assert.deepEqual(await triggerDirectly(workflowKey, `${workflowKey}-early`), {
      status: 422,
      answer: "workflow_not_found",
    });
    assert.ok(["PENDING", "PROCESSING"].includes((await notificationState(sql, id)).status));
    assert.deepEqual(await emulatorEvents(id), [], "not triggered before the sync");
    await waitForStatus(sql, id, "SENT", 30_000);
    await assertDeliveredHistory(sql, id);
    const syncs = await syncsSince(sql, before);
    assert.equal(syncs[0].outcome, "failed", JSON.stringify(syncs));
    assert.equal(syncs[0].http_status, 500);
    assert.match(syncs[0].error ?? "", /Novu refused the sync \(500\)/);
    assert.ok(syncs[0].retry_at !== null);
    assert.ok(
      syncs.slice(1).some((sync) =>
        sync.outcome === "succeeded" && sync.synced_workflows?.includes(workflowKey)
      ),
      JSON.stringify(syncs),
    );
    const waits = await syncWaits(sql, id);
    assert.ok(waits.length >= 2, `waited through the failed sync: ${JSON.stringify(waits)}`);
    assert.ok(waits.every((wait) => wait.attempts === 0), JSON.stringify(waits));
    const steps = stepsOf(assertSingleDelivery(await waitForFinishedEvents(id), id));
    assert.deepEqual(steps.sms.outputs, {
      body: "Maintenance: Elevator B service on 2026-12-01 in Acme Tower A - Acme Towers",
    });
  } finally {
    await clearFaults();
    await sql`delete from notify.ent_notification_workflow where workflow_key = ${workflowKey}`;
    await sql.end();
  }
});

Deno.test("an edited workflow: Novu runs its old shape until XNovu's sync, and the notification waiting for it delivers the new shape", async () => {
  const sql = connect();
  const workflowKey = uniqueName("edited");
  try {
    await createWorkflow(sql, workflowKey, ["IN_APP"]);
    await waitForSync(sql, workflowKey);
    // A long debounce keeps the window between the edit and its sync open for the check.
    await withDispatchSettings(sql, {
      novu_sync_debounce_ms: "8000",
      novu_sync_max_wait_ms: "20000",
    }, async () => {
      await sql`
        update notify.ent_notification_workflow
           set default_channels = '{IN_APP,SMS}',
               template_overrides = ${sql.json(overridesFor(["IN_APP", "SMS"]))}
         where workflow_key = ${workflowKey}`;
      const [id] = await insertAsMember(sql, [{
        name: uniqueName("edited-notification"),
        workflowKey,
        payload: MAINTENANCE,
        recipients: recipientIds(1),
        channels: ["IN_APP", "SMS"],
      }]);
      const staleId = `${workflowKey}-stale`;
      assert.deepEqual(await triggerDirectly(workflowKey, staleId), {
        status: 201,
        answer: "processed",
      });
      const stale = await waitFor(async () => {
        const response = await fetch(`${EMULATOR_URL}/_emulator/events/${staleId}`);
        const event = await response.json();
        return event.status === "completed" ? event : undefined;
      }, { what: `event ${staleId} to complete`, timeoutMs: 15_000 });
      assert.deepEqual(Object.keys(stepsOf(stale)), ["in-app"], "Novu runs the synced shape");
      // Still waiting for the sync (PENDING, or PROCESSING between two looks): not sent.
      assert.ok(["PENDING", "PROCESSING"].includes((await notificationState(sql, id)).status));
      assert.deepEqual(await emulatorEvents(id), [], "not triggered before the sync");

      await waitForStatus(sql, id, "SENT", 30_000);
      await assertDeliveredHistory(sql, id);
      assert.ok((await syncWaits(sql, id)).length >= 1, "the notification waited for the sync");
      const steps = stepsOf(assertSingleDelivery(await waitForFinishedEvents(id), id));
      assert.deepEqual(Object.keys(steps), ["in-app", "sms"]);
      assert.deepEqual(steps.sms.outputs, {
        body: "Maintenance: Elevator B service on 2026-12-01 in Acme Tower A - Acme Towers",
      });
    });
  } finally {
    await sql`delete from notify.ent_notification_workflow where workflow_key = ${workflowKey}`;
    await sql.end();
  }
});

Deno.test("a workflow Novu does not know (deleted in Novu's dashboard): XNovu re-syncs it by itself and the notification is sent; one switched off FAILS with Novu's answer", async () => {
  const sql = connect();
  const workflowKey = uniqueName("forgotten");
  try {
    await createWorkflow(sql, workflowKey, ["IN_APP"]);
    await waitForSync(sql, workflowKey);

    const deleted = await fetch(`${EMULATOR_URL}/_emulator/workflows/${workflowKey}`, {
      method: "DELETE",
    });
    assert.equal(deleted.status, 200);
    await deleted.body?.cancel();
    const before = await lastSyncId(sql);
    const [unknownId] = await insertAsMember(sql, [{
      name: uniqueName("forgotten-notification"),
      workflowKey,
      payload: MAINTENANCE,
      recipients: recipientIds(1),
    }]);
    await waitForStatus(sql, unknownId, "SENT", 30_000);
    await assertDeliveredHistory(sql, unknownId);
    const waits = await syncWaits(sql, unknownId);
    const notFound = waits.find((wait) => wait.upstream_status === 422);
    assert.ok(notFound, `waited for a re-sync after Novu's 422: ${JSON.stringify(waits)}`);
    assert.equal(JSON.parse(notFound.upstream_body).message, "workflow_not_found");
    assert.match(notFound.message, new RegExp(`workflow_not_found for workflow ${workflowKey}`));
    assert.ok(waits.every((wait) => wait.attempts === 0), JSON.stringify(waits));
    assert.ok(
      (await syncsSince(sql, before)).some((sync) =>
        sync.outcome === "succeeded" && sync.synced_workflows?.includes(workflowKey)
      ),
      "XNovu synced the workflow again",
    );
    assert.ok((await syncedWorkflowIds()).includes(workflowKey));
    // Novu replays the refused trigger's 422 under its old Idempotency-Key for 24 hours: the
    // trigger after the re-sync went under a new one, the same transactionId.
    const delivered = assertSingleDelivery(await waitForFinishedEvents(unknownId), unknownId);
    assert.match(delivered.idempotencyKey, new RegExp(`^xnovu-${unknownId}-0-r\\d+$`));

    // An operator switches it off in Novu: XNovu does not undo that with a sync, so the row
    // FAILs with Novu's answer.
    const off = await fetch(`${EMULATOR_URL}/_emulator/workflows/${workflowKey}`, {
      method: "PATCH",
      body: JSON.stringify({ active: false }),
    });
    assert.equal(off.status, 200);
    await off.body?.cancel();
    const [inactiveId] = await insertAsMember(sql, [{
      name: uniqueName("switched-off-notification"),
      workflowKey,
      payload: MAINTENANCE,
      recipients: recipientIds(1),
    }]);
    const inactive = await waitForStatus(sql, inactiveId, "FAILED");
    assert.equal(inactive.error_details.kind, "novu_rejected");
    assert.equal(JSON.parse(inactive.error_details.upstream_body).status, "trigger_not_active");
    assert.deepEqual(await emulatorEvents(inactiveId), []);
  } finally {
    await sql`delete from notify.ent_notification_workflow where workflow_key = ${workflowKey}`;
    await sql.end();
  }
});

Deno.test("a notification does not wait for a Novu sync forever: past novu_sync_wait_limit_ms it FAILS naming the workflow and the sync's error", async () => {
  const sql = connect();
  const workflowKey = uniqueName("never-synced");
  try {
    await withDispatchSettings(sql, { novu_sync_wait_limit_ms: "4000" }, async () => {
      await setFaults({ syncFailNext: 1_000 });
      await createWorkflow(sql, workflowKey, ["IN_APP"]);
      const [id] = await insertAsMember(sql, [{
        name: uniqueName("never-synced-notification"),
        workflowKey,
        payload: MAINTENANCE,
        recipients: recipientIds(1),
      }]);
      const failed = await waitForStatus(sql, id, "FAILED", 30_000);
      assert.equal(failed.error_details.kind, "workflow_not_synced");
      assert.match(
        failed.error_details.message,
        new RegExp(
          `waited for the Novu sync of workflow ${workflowKey} since .*, the limit ` +
            "\\(novu_sync_wait_limit_ms\\) is 4000 ms; the last sync failed: Novu refused " +
            "the sync \\(500\\)",
        ),
      );
      const waits = await syncWaits(sql, id);
      assert.ok(waits.length >= 1, "it waited first");
      assert.ok(
        waits.every((wait) => wait.waiting_since === failed.error_details.waiting_since),
        `one wait, from its first hold: ${
          JSON.stringify(waits)
        } ${failed.error_details.waiting_since}`,
      );
      assert.deepEqual(await emulatorEvents(id), [], "never triggered");
    });
  } finally {
    await clearFaults();
    await sql`delete from notify.ent_notification_workflow where workflow_key = ${workflowKey}`;
    // The failed syncs' backoff is over before the next test needs a sync.
    await waitFor(async () => {
      const [{ awaiting }] = await sql<{ awaiting: string }[]>`
        select count(*)::text as awaiting from notify_internal.workflow_awaiting_novu_sync`;
      return awaiting === "0" ? true : undefined;
    }, { what: "every workflow synced again", timeoutMs: 60_000 });
    await sql.end();
  }
});
