import type postgres from "postgres";

/**
 * A notification's messages in every dispatch queue: the intake `notification_dispatch` and
 * each lane the router or the enqueue trigger moved messages to (`notify_internal.dispatch_lane`).
 * pgmq 1.4.4 has no call that finds a message by content, so the queue tables are read by
 * column name (`vt`, `message`).
 */
export async function dispatchMessages(
  sql: postgres.Sql,
  notificationId: number,
): Promise<{ queue: string; visible_at: Date }[]> {
  const lanes = await sql<{ queue_name: string }[]>`
    select queue_name from notify_internal.dispatch_lane`;
  const found: { queue: string; visible_at: Date }[] = [];
  for (const queue of ["notification_dispatch", ...lanes.map((lane) => lane.queue_name)]) {
    const rows = await sql<{ visible_at: Date }[]>`
      select vt as visible_at from ${sql(`pgmq.q_${queue}`)}
       where message ->> 'notification_id' = ${String(notificationId)}`;
    found.push(...rows.map((row) => ({ queue, visible_at: row.visible_at })));
  }
  return found;
}
