import type { Sql } from "../../db/client.ts";
import type { Queue, QueueMessage } from "../queue.ts";

/**
 * A row of `pgmq.read` (message `{"notification_id", "attempts"?}`) as the dispatcher sees
 * it.
 */
export function queueMessage(
  queue: string,
  row: { msg_id: string; read_ct: number; notification_id: string | null; attempts: string | null },
): QueueMessage {
  return {
    queue,
    msgId: Number(row.msg_id),
    readCount: row.read_ct,
    attemptsBefore: row.attempts !== null && /^\d+$/.test(row.attempts) ? Number(row.attempts) : 0,
    notificationId: row.notification_id !== null && /^\d+$/.test(row.notification_id)
      ? Number(row.notification_id)
      : null,
  };
}

/**
 * One pgmq queue: pgmq 1.4.4 calls with named arguments, nothing else. Runs as the
 * functions' `postgres` login.
 */
export function createPgmqQueue(sql: Sql, name: string): Queue {
  // pgmq 1.4.4 has no call for the earliest hidden message; its queue table (q_<name>, column
  // vt, indexed) is read by column name, which every pgmq version keeps. An empty queue is
  // null (greatest() alone would make it 0, "visible now", and the drainer would kick forever).
  const table = sql(`pgmq.q_${name}`);
  return {
    name,

    async read(visibilitySeconds, limit) {
      const rows = await sql<
        {
          msg_id: string;
          read_ct: number;
          notification_id: string | null;
          attempts: string | null;
        }[]
      >`
        select msg_id::text, read_ct, message ->> 'notification_id' as notification_id,
               message ->> 'attempts' as attempts
          from pgmq.read(queue_name => ${name}, vt => ${visibilitySeconds}::integer,
                         qty => ${limit}::integer)`;
      return rows.map((row) => queueMessage(name, row));
    },

    async delete(msgIds) {
      await sql`select pgmq.delete(queue_name => ${name}, msg_ids => ${msgIds}::bigint[])`;
    },

    async send(notificationId, attemptsBefore, delaySeconds) {
      await sql`
        select from pgmq.send(queue_name => ${name},
                              msg => ${
        sql.json({ notification_id: notificationId, attempts: attemptsBefore })
      },
                              delay => ${delaySeconds}::integer)`;
    },

    async delay(msgId, seconds) {
      await sql`
        select from pgmq.set_vt(queue_name => ${name}, msg_id => ${msgId}::bigint,
                                vt => ${seconds}::integer)`;
    },

    async secondsUntilNextVisible() {
      const [{ seconds }] = await sql<{ seconds: number | null }[]>`
        select case when min(vt) is not null
                 then greatest(0, ceil(extract(epoch from min(vt) - clock_timestamp())))::integer
               end as seconds
          from ${table}`;
      return seconds;
    },
  };
}
