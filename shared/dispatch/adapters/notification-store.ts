import type { Sql } from "../../db/client.ts";
import type { ClaimedNotification, NotificationStatus } from "../decide.ts";
import { type NotificationStore, workflowPlanKey } from "../store.ts";
import { planWorkflowRow, type WorkflowRow } from "../../workflows/plan.ts";

/** SQLSTATE of "illegal notification status transition" (the status machine's check). */
const CHECK_VIOLATION = "23514";

/**
 * The dispatcher's notification store: the notify_internal status functions and the
 * workflows, one round trip per step of a batch. Runs as the functions' `postgres` login,
 * which bypasses RLS, so every workflow read names the enterprise explicitly.
 */
export function createPostgresNotificationStore(sql: Sql): NotificationStore {
  return {
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

    async loadWorkflowPlans(requests) {
      if (requests.length === 0) return new Map();
      // A batch asks once per notification, mostly for the same few workflows: each distinct
      // (workflow, enterprise) goes to the query once, so the per-row functions below
      // (template_overrides_by_channel, is_usable_by) run a few times per batch, not a hundred.
      const distinct = [
        ...new Map(requests.map((request) => [workflowPlanKey(request), request])).values(),
      ];
      const rows = await sql<(WorkflowRow & { for_enterprise_id: string })[]>`
        select w.id::text as id, r.enterprise_id::text as for_enterprise_id,
               w.workflow_key, w.workflow_type::text as workflow_type, w.name, w.description,
               w.enterprise_id::text as enterprise_id,
               w.default_channels::text[] as default_channels, w.payload_schema,
               notify_internal.template_overrides_by_channel(w.template_overrides)
                 as template_overrides, w.updated_at::text as updated_at
          from unnest(${distinct.map((request) => request.workflowId)}::bigint[],
                      ${distinct.map((request) => request.enterpriseId)}::uuid[])
               as r (workflow_id, enterprise_id)
          join notify.ent_notification_workflow w on w.id = r.workflow_id
         where notify_internal.is_usable_by(w.enterprise_id, w.publish_status, w.deactivated,
                                            r.enterprise_id)`;
      return new Map(rows.map(({ for_enterprise_id, ...row }) => [
        workflowPlanKey({ workflowId: Number(row.id), enterpriseId: for_enterprise_id }),
        planWorkflowRow(row),
      ]));
    },

    async novuSyncStates(notificationIds, resync) {
      const rows = await sql<
        {
          notification_id: string;
          workflow_id: string;
          workflow_key: string;
          held: boolean;
          waiting_since: string;
          overdue: boolean;
          wait_limit_ms: number;
          last_sync_error: string | null;
          resyncs: number;
        }[]
      >`
        select notification_id::text, workflow_id::text, workflow_key, held,
               to_json(waiting_since) #>> '{}' as waiting_since, overdue, wait_limit_ms,
               last_sync_error, resyncs
          from notify_internal.novu_sync_states(${notificationIds}::bigint[], ${resync})`;
      return new Map(rows.map((row) => [Number(row.notification_id), {
        workflowId: Number(row.workflow_id),
        workflowKey: row.workflow_key,
        held: row.held,
        waitingSince: row.waiting_since,
        overdue: row.overdue,
        waitLimitMs: row.wait_limit_ms,
        lastSyncError: row.last_sync_error,
        resyncs: row.resyncs,
      }]));
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
  };
}
