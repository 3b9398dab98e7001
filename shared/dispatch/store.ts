import type { WorkflowPlan } from "../workflows/plan.ts";
import type { ClaimedNotification, NotificationStatus } from "./decide.ts";
import type { ErrorDetails, NovuSyncState } from "./errors.ts";

/** A workflow asked for on behalf of a notification's enterprise. */
export interface WorkflowRequest {
  workflowId: number;
  enterpriseId: string;
}

/**
 * The notification store: claim, settle and the workflows notifications run. Status changes
 * go through the `notify_internal` status functions; queue messages are not its business.
 */
export interface NotificationStore {
  claim(notificationIds: number[]): Promise<ClaimedNotification[]>;
  /**
   * Plans of the published, active workflows asked for, each only for an enterprise it
   * belongs to (its own or shared); look them up with `workflowPlanKey`.
   */
  loadWorkflowPlans(requests: WorkflowRequest[]): Promise<Map<string, WorkflowPlan>>;
  /** PROCESSING -> SENT for each; every id's status afterwards (null: row gone). */
  markSent(
    entries: Array<{ id: number; transactionId: string }>,
  ): Promise<Map<number, NotificationStatus | null>>;
  /** PROCESSING -> PENDING (`retry`) or FAILED (`fail`); the status afterwards. */
  settleFailure(
    id: number,
    move: "retry" | "fail",
    details: ErrorDetails,
  ): Promise<NotificationStatus | null>;
  recipientCounts(notificationIds: number[]): Promise<Map<number, number>>;
  /**
   * Of these claimed notifications, by id, those whose workflow Novu has not been synced with
   * since its latest change (`held`) or that were re-synced before. `resync` (Novu answered
   * `workflow_not_found` for them) first counts a re-sync and asks for a sync of their
   * workflows.
   */
  novuSyncStates(notificationIds: number[], resync: boolean): Promise<Map<number, NovuSyncState>>;
}

export function workflowPlanKey(request: WorkflowRequest): string {
  return `${request.workflowId}:${request.enterpriseId}`;
}
