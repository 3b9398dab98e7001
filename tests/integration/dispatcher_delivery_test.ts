import assert from "node:assert/strict";
import postgres from "postgres";
import {
  DB_URL,
  ENTERPRISE_A,
  FUNCTIONS_URL,
  KICK_SECRET,
  runSuffix,
  SERVICE_ROLE_KEY,
} from "../support/env.ts";
import { dispatchMessages } from "../support/dispatch-queues.ts";
import { memberJwt } from "../support/jwt.ts";
import { emulatorEvents, setFaults } from "../support/emulator.ts";
import { waitFor } from "../support/wait.ts";

const RECIPIENT = "aaaaaaaa-0000-4000-8000-0000000000d1";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("dispatcher: delivery, failures, retries and cancellation", async (t) => {
  const sql = postgres(DB_URL, { prepare: false, max: 2, onnotice: () => {} });
  const suffix = runSuffix();
  const workflowId = async (key: string) =>
    Number(
      (await sql`select id from notify.ent_notification_workflow where workflow_key = ${key}`)[0]
        .id,
    );
  const insert = async (
    name: string,
    workflowKey: string,
    payload: Record<string, unknown>,
    channels: string[],
    enterpriseId = ENTERPRISE_A,
  ) => {
    const rows = await sql`
      insert into notify.ent_notification
        (name, notification_workflow_id, payload, recipients, channels, enterprise_id, publish_status)
      values (${`it-dispatch-${name}-${suffix}`}, ${await workflowId(workflowKey)},
              ${sql.json(payload as postgres.JSONValue)}, ${[
      RECIPIENT,
    ]}::uuid[], ${channels}::shared_types.notification_channel_type[],
              ${enterpriseId}, 'PUBLISH')
      returning id`;
    return Number(rows[0].id);
  };
  const row = async (id: number) =>
    (await sql`select notification_status::text as status, transaction_id, error_details
                 from notify.ent_notification where id = ${id}`)[0];
  const waitForStatus = (id: number, status: string, timeoutMs?: number) =>
    waitFor(async () => {
      const current = await row(id);
      return current.status === status ? current : undefined;
    }, {
      what: `notification ${id} to be ${status}`,
      timeoutMs: timeoutMs ?? 15_000,
      intervalMs: 50,
    });
  const history = async (id: number) =>
    (await sql`select from_status::text || '->' || to_status::text as move
                 from notify.notification_status_history where notification_id = ${id} order by id`)
      .map((entry) => entry.move);

  // Faults are global to the emulator: start from none whatever an earlier run left.
  await setFaults({});
  try {
    await t.step("only the database's kick (the kick secret) starts the dispatcher", async () => {
      for (const token of [await memberJwt([ENTERPRISE_A]), SERVICE_ROLE_KEY]) {
        const refused = await fetch(`${FUNCTIONS_URL}/dispatcher`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(refused.status, 401);
        assert.equal((await refused.json()).error, "UNAUTHORIZED");
      }
      const service = await fetch(`${FUNCTIONS_URL}/dispatcher`, {
        method: "POST",
        headers: { authorization: `Bearer ${KICK_SECRET}` },
      });
      assert.equal(service.status, 202);
      assert.deepEqual(await service.json(), { accepted: true });
    });

    await t.step("a static workflow is sent once and rendered", async () => {
      const id = await insert(
        "static",
        "default-email",
        { subject: "Lift news", body: "All good" },
        [
          "EMAIL",
        ],
      );
      const sent = await waitForStatus(id, "SENT");
      assert.equal(sent.transaction_id, `xnovu-${id}-0`);
      assert.deepEqual(await history(id), ["PENDING->PROCESSING", "PROCESSING->SENT"]);
      const event = await waitFor(async () => {
        const [found] = await emulatorEvents(id);
        return found?.status === "completed" ? found : undefined;
      }, { what: "the emulator to finish the event", timeoutMs: 15_000, intervalMs: 50 });
      assert.equal(event.transactionId, `xnovu-${id}-0`);
      assert.equal(event.duplicates, 0);
      assert.equal(event.payload._xnovu.notification_id, id);
      assert.equal(event.payload._xnovu.enterprise_id, ENTERPRISE_A);
      assert.deepEqual(event.recipients[0].steps[0].outputs, {
        subject: "Lift news",
        body: "<p>All good</p>",
      });
      assert.equal((await emulatorEvents(id)).length, 1);
    });

    await t.step("a dynamic workflow renders its enterprise's templates", async () => {
      const id = await insert("dynamic", "building-maintenance", {
        title: "Elevator B maintenance",
        date: "2026-12-01",
        buildingName: "Acme Tower A",
        recipientName: "Ada",
      }, ["EMAIL"]);
      await waitForStatus(id, "SENT");
      const event = await waitFor(async () => {
        const [found] = await emulatorEvents(id);
        return found?.status === "completed" ? found : undefined;
      }, { what: "the emulator to finish the event", timeoutMs: 15_000, intervalMs: 50 });
      const email = event.recipients[0].steps.find((step: Json) => step.stepId === "email");
      assert.equal(email.status, "executed");
      assert.match(email.outputs.subject, /Elevator B maintenance/);
      const skipped = event.recipients[0].steps.filter((step: Json) => step.stepId !== "email");
      assert.ok(skipped.every((step: Json) => step.status === "skipped"), "other channels skipped");
    });

    await t.step("a payload violating the schema fails at once and is never sent", async () => {
      const id = await insert("invalid", "default-email", { subject: "No body" }, ["EMAIL"]);
      const failed = await waitForStatus(id, "FAILED");
      assert.equal(failed.error_details.kind, "payload_invalid");
      assert.equal(failed.error_details.attempts, 1);
      assert.match(failed.error_details.message, /must have required property 'body'/);
      assert.equal((await emulatorEvents(id)).length, 0);
    });

    await t.step("an unpublished workflow is unavailable: FAILED, never sent", async () => {
      // Another enterprise's workflow cannot even be referenced (refused at insert, see
      // supabase/tests/isolation); a workflow of the enterprise that is not published is the
      // case the dispatcher itself must refuse.
      const draftKey = `it-dispatch-draft-workflow-${suffix}`;
      await sql`
        insert into notify.ent_notification_workflow
          (name, workflow_key, workflow_type, default_channels, enterprise_id, publish_status)
        values (${draftKey}, ${draftKey}, 'STATIC', '{EMAIL}', ${ENTERPRISE_A}, 'DRAFT')`;
      try {
        const id = await insert("unpublished", draftKey, { subject: "x", body: "y" }, ["EMAIL"]);
        const failed = await waitForStatus(id, "FAILED");
        assert.equal(failed.error_details.kind, "workflow_unavailable");
        assert.equal((await emulatorEvents(id)).length, 0);
      } finally {
        await sql`delete from notify.ent_notification_workflow where workflow_key = ${draftKey}`;
      }
    });

    await t.step(
      "Novu failing twice: retried with backoff, then SENT with one delivery",
      async () => {
        await sql`insert into notify_internal.local_setting (name, value)
                values ('dispatch_backoff_base_ms', '100')
                on conflict (name) do update set value = excluded.value`;
        await setFaults({ failNext: 2 });
        try {
          const id = await insert("retry", "default-email", { subject: "Retry", body: "me" }, [
            "EMAIL",
          ]);
          await waitForStatus(id, "SENT", 20_000);
          assert.deepEqual(await history(id), [
            "PENDING->PROCESSING",
            "PROCESSING->PENDING",
            "PENDING->PROCESSING",
            "PROCESSING->PENDING",
            "PENDING->PROCESSING",
            "PROCESSING->SENT",
          ]);
          const retry = (await sql`select details from notify.notification_status_history
                                  where notification_id = ${id} and to_status = 'PENDING'
                                  order by id limit 1`)[0].details;
          assert.equal(retry.error_details.kind, "novu_unavailable");
          assert.equal(retry.error_details.upstream_status, 500);
          const events = await emulatorEvents(id);
          assert.equal(events.length, 1);
          assert.equal(events[0].duplicates, 0);
        } finally {
          await setFaults({});
          await sql`delete from notify_internal.local_setting where name = 'dispatch_backoff_base_ms'`;
        }
      },
    );

    await t.step("cancelling a sent notification cancels its Novu event", async () => {
      const id = await insert("cancel-after", "default-email", { subject: "Oops", body: "x" }, [
        "EMAIL",
      ]);
      await waitForStatus(id, "SENT");
      await sql`select notify.cancel_notification(${id}::bigint, 'sent by mistake')`;
      const event = await waitFor(async () => {
        const [found] = await emulatorEvents(id);
        return found?.cancelRequestedAt !== undefined ? found : undefined;
      }, { what: "the emulator to record the cancel", timeoutMs: 15_000, intervalMs: 50 });
      assert.equal(event.transactionId, `xnovu-${id}-0`);
      assert.equal((await row(id)).status, "RETRACTED");
    });

    await t.step("a cancel racing an in-flight send ends RETRACTED and cancelled", async () => {
      await setFaults({ latencyMs: 700 });
      try {
        const id = await insert("cancel-race", "default-email", { subject: "Race", body: "x" }, [
          "EMAIL",
        ]);
        await waitForStatus(id, "PROCESSING");
        await sql`select notify.cancel_notification(${id}::bigint, 'race')`;
        const settled = await waitFor(async () => {
          const events = await emulatorEvents(id);
          const messages = await dispatchMessages(sql, id);
          return messages.length === 0 &&
              (events.length === 0 || events[0].cancelRequestedAt !== undefined)
            ? events
            : undefined;
        }, { what: "the send to be taken back", timeoutMs: 15_000, intervalMs: 50 });
        assert.equal((await row(id)).status, "RETRACTED");
        assert.ok(settled.length <= 1);
      } finally {
        await setFaults({});
      }
    });
  } finally {
    await sql.end();
  }
});
