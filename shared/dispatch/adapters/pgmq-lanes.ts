import type { Sql } from "../../db/client.ts";
import type { DispatchLanes, Queue } from "../queue.ts";
import type { LaneBacklog } from "../selection.ts";
import { createPgmqQueue, queueMessage } from "./pgmq-queue.ts";

/**
 * The dispatch lanes (migration create_dispatch_lanes): the router and the lane listing are
 * notify_internal functions; reads are `pgmq.read` per lane, in one statement.
 */
export function createPgmqLanes(sql: Sql): DispatchLanes {
  const queues = new Map<string, Queue>();
  return {
    async route(limit) {
      const [{ routed }] = await sql<{ routed: number }[]>`
        select notify_internal.route_dispatch_intake(${limit}::integer) as routed`;
      return routed;
    },

    async backlog(cap) {
      const rows = await sql<
        { queue_name: string; band: number; enterprise_id: string | null; visible: number }[]
      >`
        select queue_name, band, enterprise_id::text as enterprise_id, visible
          from notify_internal.dispatch_lane_backlog(${cap}::integer)`;
      return rows.map((row): LaneBacklog => ({
        queue: row.queue_name,
        band: row.band,
        enterpriseId: row.enterprise_id,
        visible: row.visible,
      }));
    },

    async read(reads, visibilitySeconds) {
      const rows = await sql<
        {
          queue: string;
          msg_id: string;
          read_ct: number;
          notification_id: string | null;
          attempts: string | null;
        }[]
      >`
        select l.queue, m.msg_id::text, m.read_ct,
               m.message ->> 'notification_id' as notification_id,
               m.message ->> 'attempts' as attempts
          from unnest(${reads.map((read) => read.queue)}::text[],
                      ${reads.map((read) => read.qty)}::integer[]) as l (queue, qty)
          cross join lateral pgmq.read(queue_name => l.queue,
                                       vt => ${visibilitySeconds}::integer, qty => l.qty) m`;
      return rows.map((row) => queueMessage(row.queue, row));
    },

    queue(name) {
      let queue = queues.get(name);
      if (queue === undefined) queues.set(name, queue = createPgmqQueue(sql, name));
      return queue;
    },

    async secondsUntilNextVisible() {
      const [{ seconds }] = await sql<{ seconds: number | null }[]>`
        select notify_internal.seconds_until_next_dispatch_message() as seconds`;
      return seconds;
    },
  };
}
