import type postgres from "postgres";

/**
 * A notification's messages in every dispatch queue: the intake `notification_dispatch` and
 * each lane the router or the enqueue trigger moved messages to (`notify_internal.dispatch_lane`),
 * read in one statement (one snapshot: the router moves a message in one transaction, so it is
 * seen in exactly one queue). pgmq 1.4.4 has no call that finds a message by content, so the
 * queue tables are read by column name (`vt`, `message`).
 */
export async function dispatchMessages(
  sql: postgres.Sql | postgres.TransactionSql,
  notificationId: number,
): Promise<{ queue: string; visible_at: Date }[]> {
  const lanes = await sql<{ queue_name: string }[]>`
    select queue_name from notify_internal.dispatch_lane`;
  const queues = ["notification_dispatch", ...lanes.map((lane) => lane.queue_name)];
  const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
  return await sql.unsafe<{ queue: string; visible_at: Date }[]>(
    queues.map((queue, index) =>
      `select $${index + 2}::text as queue, vt as visible_at from pgmq.${quoted(`q_${queue}`)}
        where message ->> 'notification_id' = $1`
    ).join(" union all "),
    [String(notificationId), ...queues],
  );
}
