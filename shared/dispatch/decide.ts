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
  /** Due within HOLD_LIMIT_SECONDS: claim it again after `ms`. */
  | { action: "hold"; ms: number }
  | { action: "delete"; reason: string };

/** A PENDING, sendable row the claim skipped is normally not due yet; retry it this soon. */
export const UNCLAIMED_RECHECK_SECONDS = 1;

/**
 * A row due sooner than this is held by its batch until its instant instead of put back: pgmq
 * delays are whole seconds, so a scheduled message surfaces up to a second early
 * (`notify_internal.message_delay_seconds`), and putting it back would make it a second late.
 */
export const HOLD_LIMIT_SECONDS = 1;

/**
 * Claimed rows are sent. A row that is PENDING, published and active but not claimed waits
 * for its `scheduled_for`: held by the batch when it is due within HOLD_LIMIT_SECONDS (and
 * `mayHold`), else the message sleeps until then, in the whole seconds pgmq takes, rounded down
 * so that it surfaces at or before the instant. Everything else (deleted,
 * RETRACTED, SENT, FAILED, back to DRAFT, deactivated) will never be sent by this message:
 * re-publishing or re-activating enqueues a new one.
 */
export function decideMessage(
  state: ClaimedNotification | undefined,
  mayHold = true,
): MessageDecision {
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
  const secondsUntilDue = state.secondsUntilDue ?? 0;
  if (mayHold && secondsUntilDue > 0 && secondsUntilDue < HOLD_LIMIT_SECONDS) {
    return { action: "hold", ms: Math.ceil(secondsUntilDue * 1000) };
  }
  return {
    action: "delay",
    seconds: Math.max(Math.floor(secondsUntilDue), UNCLAIMED_RECHECK_SECONDS),
  };
}
