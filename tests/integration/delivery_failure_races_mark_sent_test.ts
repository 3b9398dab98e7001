/**
 * A message.failed webhook and the dispatcher's mark-sent of the same notification, in flight at
 * once, in either order: the notification ends FAILED with that failure, whichever commits first
 * (notify_internal.record_delivery_event locks the row only for a failure, and re-reads its status
 * under the lock; mark-sent's trigger fail_sent_notifications_with_failed_deliveries sees a failure
 * that committed before it).
 */
import assert from "node:assert/strict";
import { createDbClient } from "../../shared/db/client.ts";
import { DB_URL, ENTERPRISE_A, runSuffix } from "../support/env.ts";

type Sql = ReturnType<typeof createDbClient>;

async function inFlightNotification(sql: Sql, name: string): Promise<number> {
  // DRAFT: never queued, so the running dispatcher leaves it alone; moved to PROCESSING by hand.
  const [{ id }] = await sql<{ id: string }[]>`
    insert into notify.ent_notification
      (name, enterprise_id, notification_workflow_id, payload, recipients, publish_status)
    select ${name}, ${ENTERPRISE_A}::uuid, w.id, '{}'::jsonb, array[gen_random_uuid()], 'DRAFT'
      from notify.ent_notification_workflow w where w.workflow_key = 'default-email'
    returning id::text`;
  await sql`update notify.ent_notification set notification_status = 'PROCESSING' where id = ${id}::bigint`;
  return Number(id);
}

const recordFailure = (sql: Sql, id: number, suffix: string) =>
  sql`select notify_internal.record_delivery_event(
        ${`msg_${suffix}`}, ${`evt_${suffix}`}, 'message.failed', ${id}::bigint, ${`xnovu-${id}-0`},
        'd0000000-0000-4000-8000-00000000000d', 'email', 'email-step', ${`m-${suffix}`},
        'mailbox full', '{}'::jsonb, now()) as outcome`;

/** The dispatcher's mark-sent (a plain update of the batch's rows). */
const markSent = (sql: Sql, id: number) =>
  sql`select * from notify_internal.mark_sent_batch(array[${id}::bigint], array[${`xnovu-${id}-0`}])`;

/** Waits until a backend of this application is blocked on a lock. */
async function untilBlocked(observer: Sql) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const [{ blocked }] = await observer<{ blocked: boolean }[]>`
      select exists (select from pg_stat_activity
                      where wait_event_type = 'Lock' and datname = current_database()) as blocked`;
    if (blocked) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the second transaction never waited for the first");
}

/**
 * Runs `work` in a transaction of its own and keeps that transaction open until `release` is
 * called: `ran` settles with work's result as soon as it is done, `committed` once it commits.
 */
function heldOpen<T>(sql: Sql, work: (tx: Sql) => Promise<T>) {
  const ran = Promise.withResolvers<T>();
  const released = Promise.withResolvers<void>();
  const committed = sql.begin(async (tx) => {
    ran.resolve(await work(tx as unknown as Sql));
    await released.promise;
  });
  committed.catch(ran.reject);
  return { ran: ran.promise, committed, release: () => released.resolve() };
}

/** Three connections, a notification in flight named for the test; removed afterwards. */
async function race(
  label: string,
  body: (
    clients: { first: Sql; second: Sql; observer: Sql; id: number; suffix: string },
  ) => Promise<void>,
) {
  const first = createDbClient(DB_URL, { max: 1 });
  const second = createDbClient(DB_URL, { max: 1 });
  const observer = createDbClient(DB_URL, { max: 1 });
  const suffix = runSuffix();
  const name = `${label}-${suffix}`;
  try {
    const id = await inFlightNotification(observer, name);
    await body({ first, second, observer, id, suffix });
  } finally {
    await observer`delete from notify.ent_notification where name = ${name}`;
    await Promise.all([first.end(), second.end(), observer.end()]);
  }
}

async function statusAndKind(sql: Sql, id: number) {
  const [row] = await sql<{ notification_status: string; kind: string | null }[]>`
    select notification_status, error_details ->> 'kind' as kind from notify.ent_notification where id = ${id}::bigint`;
  return row;
}

Deno.test("a failure recorded while mark-sent is in flight fails the notification once mark-sent commits", () =>
  race("failure-race-a", async ({ first, second, observer, id, suffix }) => {
    // mark-sent holds the row; the webhook records its event, then waits for the row.
    const marking = heldOpen(first, (tx) => markSent(tx, id));
    try {
      await marking.ran;
      // postgres.js sends a query when it is awaited or executed: send it now.
      const recording = recordFailure(second, id, suffix).execute();
      await untilBlocked(observer);
      marking.release();
      await marking.committed;
      const [{ outcome }] = await recording;
      assert.equal(outcome, "recorded");
      assert.deepEqual(await statusAndKind(observer, id), {
        notification_status: "FAILED",
        kind: "novu_delivery_failed",
      });
    } finally {
      marking.release();
    }
  }));

Deno.test("a mark-sent that waits for a recorded failure fails the notification as it commits", () =>
  race("failure-race-b", async ({ first, second, observer, id, suffix }) => {
    // The webhook's transaction records the failure and locks the row (still PROCESSING: no move).
    const recording = heldOpen(first, (tx) => recordFailure(tx, id, suffix));
    try {
      const [{ outcome }] = await recording.ran;
      assert.equal(outcome, "recorded");
      const marking = markSent(second, id).execute();
      await untilBlocked(observer);
      recording.release();
      await recording.committed;
      await marking;
      assert.deepEqual(await statusAndKind(observer, id), {
        notification_status: "FAILED",
        kind: "novu_delivery_failed",
      });
    } finally {
      recording.release();
    }
  }));

Deno.test("a delivered or seen event does not hold up mark-sent of its notification", () =>
  race("delivered-no-lock", async ({ first, second, id, suffix }) => {
    // The webhook overtook mark-sent (as Novu's may) and its transaction is still open.
    const recording = heldOpen(first, (tx) =>
      tx`select notify_internal.record_delivery_event(
          ${`msg_${suffix}`}, ${`evt_${suffix}`}, 'message.delivered', ${id}::bigint, ${`xnovu-${id}-0`},
          'd0000000-0000-4000-8000-00000000000d', 'email', 'email-step', ${`m-${suffix}`},
          null, '{}'::jsonb, now()) as outcome`);
    try {
      const [{ outcome }] = await recording.ran;
      assert.equal(outcome, "recorded");
      // A lock wait would fail this transaction after 2 s instead of passing.
      await second.begin(async (tx) => {
        await tx`set local lock_timeout = '2s'`;
        await markSent(tx as unknown as Sql, id);
      });
      recording.release();
      await recording.committed;
      const [{ notification_status }] = await second<{ notification_status: string }[]>`
        select notification_status from notify.ent_notification where id = ${id}::bigint`;
      assert.equal(notification_status, "SENT");
    } finally {
      recording.release();
    }
  }));
