import type { Sql } from "../../../shared/db/client.ts";
import type { ClaimedNotification, NotificationStatus } from "../../../shared/dispatch/decide.ts";
import type {
  DispatchStore,
  DispatchWorkflow,
  QueueMessage,
} from "../../../shared/dispatch/dispatch.ts";
import {
  DISPATCH_SETTING_NAMES,
  type DispatchSettingName,
} from "../../../shared/dispatch/settings.ts";

/** SQLSTATE of "illegal notification status transition" (the status machine's check). */
const CHECK_VIOLATION = "23514";

/**
 * The dispatcher's database access: pgmq 1.4.4 calls with named arguments and the
 * notify_internal status functions, one round trip per step of a batch. Runs as the
 * functions' `postgres` login, which bypasses RLS, so every workflow read names the
 * enterprise explicitly.
 */
export function createPostgresDispatchStore(sql: Sql): DispatchStore {
  return {
    async readMessages(queue, visibilitySeconds, limit) {
      const rows = await sql<{ msg_id: string; read_ct: number; notification_id: string | null }[]>`
        select msg_id::text, read_ct, message ->> 'notification_id' as notification_id
          from pgmq.read(queue_name => ${queue}, vt => ${visibilitySeconds}::integer,
                         qty => ${limit}::integer)`;
      return rows.map((row): QueueMessage => ({
        msgId: Number(row.msg_id),
        readCount: row.read_ct,
        notificationId: row.notification_id !== null && /^\d+$/.test(row.notification_id)
          ? Number(row.notification_id)
          : null,
      }));
    },

    async deleteMessages(queue, msgIds) {
      await sql`select pgmq.delete(queue_name => ${queue}, msg_ids => ${msgIds}::bigint[])`;
    },

    async delayMessage(queue, msgId, seconds) {
      await sql`
        select from pgmq.set_vt(queue_name => ${queue}, msg_id => ${msgId}::bigint,
                                vt => ${seconds}::integer)`;
    },

    async claim(notificationIds) {
      if (notificationIds.length === 0) return [];
      const rows = await sql<
        {
          id: string;
          claimed: boolean;
          notification_status: NotificationStatus | null;
          publish_status: string | null;
          deactivated: boolean | null;
          seconds_until_due: number | null;
          enterprise_id: string;
          notification_workflow_id: string | null;
          payload: Record<string, unknown>;
          recipients: string[];
          channels: ClaimedNotification["channels"];
          overrides: Record<string, unknown> | null;
          tags: string[] | null;
        }[]
      >`
        select id::text, claimed, notification_status, publish_status::text, deactivated,
               seconds_until_due, enterprise_id::text, notification_workflow_id::text, payload,
               recipients::text[], channels::text[], overrides, tags
          from notify_internal.claim_dispatch_batch(${notificationIds}::bigint[])`;
      return rows.map((row): ClaimedNotification => ({
        id: Number(row.id),
        claimed: row.claimed,
        status: row.notification_status,
        publishStatus: row.publish_status,
        deactivated: row.deactivated,
        secondsUntilDue: row.seconds_until_due,
        enterpriseId: row.enterprise_id,
        workflowId: row.notification_workflow_id === null
          ? null
          : Number(row.notification_workflow_id),
        payload: row.payload ?? {},
        recipients: row.recipients ?? [],
        channels: row.channels,
        overrides: row.overrides,
        tags: row.tags,
      }));
    },

    async loadWorkflows(requests) {
      if (requests.length === 0) return [];
      const rows = await sql<
        {
          id: string;
          for_enterprise_id: string;
          workflow_key: string;
          workflow_type: "STATIC" | "DYNAMIC";
          enterprise_id: string | null;
          name: string;
          description: string | null;
          default_channels: DispatchWorkflow["defaultChannels"];
          payload_schema: Record<string, unknown> | null;
          template_overrides: Record<string, unknown> | null;
          updated_at: string;
        }[]
      >`
        select distinct w.id::text, r.enterprise_id::text as for_enterprise_id, w.workflow_key,
               w.workflow_type::text as workflow_type, w.enterprise_id::text as enterprise_id,
               w.name, w.description, w.default_channels::text[] as default_channels,
               w.payload_schema, w.template_overrides, w.updated_at::text as updated_at
          from unnest(${requests.map((request) => request.workflowId)}::bigint[],
                      ${requests.map((request) => request.enterpriseId)}::uuid[])
               as r (workflow_id, enterprise_id)
          join notify.ent_notification_workflow w on w.id = r.workflow_id
         where (w.enterprise_id = r.enterprise_id or w.enterprise_id is null)
           and w.publish_status = 'PUBLISH'
           and not w.deactivated`;
      return rows.map((row): DispatchWorkflow => ({
        id: Number(row.id),
        forEnterpriseId: row.for_enterprise_id,
        workflowKey: row.workflow_key,
        workflowType: row.workflow_type,
        enterpriseId: row.enterprise_id,
        name: row.name,
        description: row.description,
        defaultChannels: row.default_channels,
        payloadSchema: row.payload_schema,
        templateOverrides: row.template_overrides,
        updatedAt: row.updated_at,
      }));
    },

    async markSent(entries) {
      const rows = await sql<{ id: string; notification_status: NotificationStatus | null }[]>`
        select id::text, notification_status
          from notify_internal.mark_sent_batch(
            ${entries.map((entry) => entry.id)}::bigint[],
            ${entries.map((entry) => entry.transactionId)}::text[])`;
      return new Map(rows.map((row) => [Number(row.id), row.notification_status]));
    },

    async settleFailure(id, move, details) {
      try {
        const rows = move === "retry"
          ? await sql<{ notification_status: NotificationStatus }[]>`
              select notification_status
                from notify_internal.release_for_retry(${id}::bigint, ${sql.json(details)})`
          : await sql<{ notification_status: NotificationStatus }[]>`
              select notification_status
                from notify_internal.mark_failed(${id}::bigint, ${sql.json(details)})`;
        return rows[0]?.notification_status ?? null;
      } catch (error) {
        // Retracted (or otherwise moved) since the claim: report where it is now.
        if ((error as { code?: string }).code !== CHECK_VIOLATION) throw error;
        const rows = await sql<{ notification_status: NotificationStatus }[]>`
          select notification_status from notify.ent_notification where id = ${id}::bigint`;
        return rows[0]?.notification_status ?? null;
      }
    },

    async recipientCounts(notificationIds) {
      if (notificationIds.length === 0) return new Map();
      const rows = await sql<{ id: string; recipient_count: number }[]>`
        select id::text, coalesce(cardinality(recipients), 0) as recipient_count
          from notify.ent_notification where id = any (${notificationIds}::bigint[])`;
      return new Map(rows.map((row) => [Number(row.id), row.recipient_count]));
    },

    async secondsUntilNextVisible() {
      // pgmq 1.4.4 has no call for this; its queue tables (q_<name>, column vt, indexed)
      // are read by column name, which every pgmq version keeps.
      const [{ seconds }] = await sql<{ seconds: number | null }[]>`
        select greatest(0, ceil(extract(epoch from min(vt) - clock_timestamp())))::integer
                 as seconds
          from (select min(vt) as vt from pgmq.q_notification_dispatch
                union all
                select min(vt) from pgmq.q_notification_cancellation) as earliest`;
      return seconds;
    },
  };
}

/** The dispatcher's settings as stored (Vault or notify_internal.local_setting). */
export async function readDispatchSettings(
  sql: Sql,
): Promise<Partial<Record<DispatchSettingName, string | null>>> {
  const rows = await sql<{ name: DispatchSettingName; value: string | null }[]>`
    select name, notify_internal.setting(name) as value
      from unnest(${[...DISPATCH_SETTING_NAMES]}::text[]) as name`;
  return Object.fromEntries(rows.map((row) => [row.name, row.value]));
}
