import type { Channel } from "../channels.ts";

export type NotificationStatus = "PENDING" | "PROCESSING" | "SENT" | "FAILED" | "RETRACTED";

/** One row of `notify_internal.claim_dispatch_batch`: a requested notification after the claim. */
export interface ClaimedNotification {
  id: number;
  claimed: boolean;
  /** null: no such row (deleted). */
  status: NotificationStatus | null;
  publishStatus: string | null;
  deactivated: boolean | null;
  secondsUntilDue: number | null;
  enterpriseId: string;
  workflowId: number | null;
  payload: Record<string, unknown>;
  recipients: string[];
  channels: Channel[] | null;
  overrides: Record<string, unknown> | null;
  tags: string[] | null;
}

/** What to do with one dispatch queue message once its notification was (not) claimed. */
export type MessageDecision =
  | { action: "send"; notification: ClaimedNotification }
  | { action: "delay"; seconds: number }
  | { action: "delete"; reason: string };

/** A PENDING, sendable row the claim skipped is normally not due yet; retry it this soon. */
export const UNCLAIMED_RECHECK_SECONDS = 1;

/**
 * Claimed rows are sent. A row that is PENDING, published and active but not claimed waits
 * for its `scheduled_for` (the message sleeps until then). Everything else (deleted,
 * RETRACTED, SENT, FAILED, back to DRAFT, deactivated) will never be sent by this message:
 * re-publishing or re-activating enqueues a new one.
 */
export function decideMessage(state: ClaimedNotification | undefined): MessageDecision {
  if (state === undefined || state.status === null) {
    return { action: "delete", reason: "notification no longer exists" };
  }
  if (state.claimed) return { action: "send", notification: state };
  if (state.status !== "PENDING") {
    return { action: "delete", reason: `notification is ${state.status}` };
  }
  if (state.publishStatus !== "PUBLISH") {
    return { action: "delete", reason: `notification is ${state.publishStatus}` };
  }
  if (state.deactivated) return { action: "delete", reason: "notification is deactivated" };
  return {
    action: "delay",
    seconds: Math.max(state.secondsUntilDue ?? 0, UNCLAIMED_RECHECK_SECONDS),
  };
}
