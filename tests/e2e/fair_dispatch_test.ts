/**
 * Fair, prioritised, rate-limited delivery through the real dispatcher: a flood of one
 * enterprise does not hold back another's notification or a critical one, and a throttled
 * enterprise waits (visible as throttled) and catches up when its limit is raised.
 */
import assert from "node:assert/strict";
import { ENTERPRISE_A, ENTERPRISE_B } from "../support/env.ts";
import {
  connect,
  insertAsMember,
  recipientIds,
  type Sql,
  uniqueName,
  waitFor,
  waitForStatus,
} from "./support/platform.ts";

/** Large enough that delivering it takes seconds even on an idle machine. */
const FLOOD = 4_000;

/** Inserts a flood of `default-email` notifications for `enterpriseId` in one statement. */
async function flood(sql: Sql, enterpriseId: string, prefix: string): Promise<void> {
  await sql`
    insert into notify.ent_notification
      (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients, channels)
    select ${prefix} || i, ${enterpriseId}::uuid,
      (select id from notify.ent_notification_workflow where workflow_key = 'default-email'),
      'PUBLISH', '{"subject": "Flood", "body": "Bulk"}'::jsonb, array[gen_random_uuid()], '{EMAIL}'
      from generate_series(1, ${FLOOD}::int) as i`;
}

const unsent = async (sql: Sql, prefix: string) =>
  (await sql<{ count: number }[]>`
    select count(*)::int as count from notify.ent_notification
     where name like ${prefix + "%"} and notification_status <> 'SENT'`)[0].count;

/** Waits for the flood to be delivered (so later tests see a quiet dispatcher), then drops it. */
async function drain(sql: Sql, prefix: string) {
  await waitFor(async () => (await unsent(sql, prefix)) === 0 ? true : undefined, {
    what: `the flood ${prefix} to be delivered`,
    timeoutMs: 120_000,
  });
  await sql`delete from notify.ent_notification where name like ${prefix + "%"}`;
}

Deno.test("a flood of enterprise A does not hold back enterprise B", async () => {
  const sql = connect();
  const prefix = uniqueName("flood-a") + "-";
  try {
    await flood(sql, ENTERPRISE_A, prefix);
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("b-during-flood"),
      workflowKey: "default-email",
      payload: { subject: "B", body: "Served during A's flood" },
      recipients: recipientIds(1),
    }], ENTERPRISE_B);
    await waitForStatus(sql, id, "SENT", 60_000);
    const left = await unsent(sql, prefix);
    assert.ok(left > 0, `B was sent while A's flood still had ${left} notifications to go`);
    await drain(sql, prefix);
  } finally {
    await sql`delete from notify.ent_notification where name like ${prefix + "%"}`;
    await sql.end();
  }
});

Deno.test("a critical notification overtakes a flood of its own enterprise", async () => {
  const sql = connect();
  const prefix = uniqueName("flood-critical") + "-";
  try {
    await flood(sql, ENTERPRISE_A, prefix);
    const [{ id }] = await sql<{ id: number }[]>`
      insert into notify.ent_notification
        (name, enterprise_id, notification_workflow_id, notification_priority_id, publish_status,
         payload, recipients, channels)
      values (${uniqueName("fire")}, ${ENTERPRISE_A},
        (select id from notify.ent_notification_workflow where workflow_key = 'fire-emergency-alert'),
        (select id from notify.typ_notification_priority where code = 'critical'), 'PUBLISH',
        ${
      sql.json({ building: "Tower A", floor: 3, severity: "CRITICAL", instructions: "Evacuate" })
    },
        ${recipientIds(1)}, '{SMS}')
      returning id`;
    await waitForStatus(sql, Number(id), "SENT", 60_000);
    const left = await unsent(sql, prefix);
    assert.ok(left > 0, `the fire alert was sent with ${left} flood notifications still to go`);
    await drain(sql, prefix);
  } finally {
    await sql`delete from notify.ent_notification where name like ${prefix + "%"}`;
    await sql.end();
  }
});

Deno.test("a throttled enterprise waits, visibly, and catches up when its limit is raised", async () => {
  const sql = connect();
  const count = 8;
  try {
    await sql`
      insert into notify.enterprise_rate_limit (enterprise_id, notifications_per_second, burst)
      values (${ENTERPRISE_B}, 0.2, 1)`;
    const ids = await insertAsMember(
      sql,
      Array.from({ length: count }, (_, index) => ({
        name: uniqueName(`throttled-${index}`),
        workflowKey: "default-email",
        payload: { subject: "Throttled", body: `Number ${index}` },
        recipients: recipientIds(1),
      })),
      ENTERPRISE_B,
    );
    const statuses = () =>
      sql<{ status: string; count: number }[]>`
        select notification_status::text as status, count(*)::int as count
          from notify.ent_notification where id = any (${ids}::bigint[]) group by 1`;
    // The burst lets one go; the rest wait PENDING (never FAILED) and show as throttled.
    const throttled = await waitFor(async () => {
      const rows = await sql<{ notification_id: number }[]>`
        select notification_id from notify.throttled_notification
         where notification_id = any (${ids}::bigint[])`;
      return rows.length >= count - 2 ? rows.length : undefined;
    }, { what: "the waiting notifications to show as throttled", timeoutMs: 20_000 });
    const waiting = await statuses();
    assert.ok(waiting.every((row) => row.status !== "FAILED"), JSON.stringify(waiting));
    const gone = waiting.filter((row) => row.status !== "PENDING")
      .reduce((sum, row) => sum + row.count, 0);
    assert.ok(gone <= 2, `${gone} left PENDING at 0.2/s with a burst of 1`);
    assert.ok(throttled >= count - 2);

    await sql`
      update notify.enterprise_rate_limit set notifications_per_second = 1000, burst = 1000
       where enterprise_id = ${ENTERPRISE_B}`;
    for (const id of ids) await waitForStatus(sql, id, "SENT", 30_000);
    await waitFor(async () => {
      const rows = await sql`
        select from notify.throttled_notification where enterprise_id = ${ENTERPRISE_B}`;
      return rows.length === 0 ? true : undefined;
    }, { what: "B to be no longer throttled", timeoutMs: 20_000 });
  } finally {
    await sql`delete from notify.enterprise_rate_limit where enterprise_id = ${ENTERPRISE_B}`;
    await sql.end();
  }
});
