/**
 * Prepare: a claimed notification and its workflow plan become Novu events, or a failure
 * that says why not (no workflow, no recipients, no channel, payload or template errors).
 */
import type { Channel } from "../channels.ts";
import { TemplateError } from "../templates/mod.ts";
import {
  DynamicWorkflowError,
  effectiveChannels,
  templateForStep,
  type WorkflowPlan,
} from "../workflows/plan.ts";
import type { RenderStep } from "../workflows/steps.ts";
import type { NovuEvent } from "./novu-event.ts";
import { chunkRecipients } from "./chunking.ts";
import type { ClaimedNotification } from "./decide.ts";
import { type DispatchFailure, permanentFailure } from "./errors.ts";
import type { PayloadValidator } from "./payload-validation.ts";

export type Preparation = { events: NovuEvent[] } | { failure: DispatchFailure };

export interface PrepareDependencies {
  render: RenderStep;
  validatePayload: PayloadValidator;
}

function novuPayload(notification: ClaimedNotification): Record<string, unknown> {
  return {
    ...notification.payload,
    _xnovu: {
      notification_id: notification.id,
      enterprise_id: notification.enterpriseId,
      ...(notification.channels !== null && { channels: notification.channels }),
      // Novu's trigger has no tags (they belong to the workflow in Novu 3.x); the bridge
      // receives them here.
      ...(notification.tags !== null && notification.tags.length > 0 &&
        { tags: notification.tags }),
    },
  };
}

/** Renders every template a DYNAMIC notification will use, so a broken one fails it now. */
async function renderCheck(
  render: RenderStep,
  plan: WorkflowPlan,
  notification: ClaimedNotification,
  channels: Channel[],
): Promise<DispatchFailure | null> {
  try {
    for (const step of plan.steps.filter((candidate) => channels.includes(candidate.channel))) {
      await render({
        enterpriseId: notification.enterpriseId,
        channel: step.channel,
        template: templateForStep(plan, step, notification.enterpriseId),
        variables: notification.payload,
      });
    }
    return null;
  } catch (error) {
    if (error instanceof TemplateError || error instanceof DynamicWorkflowError) {
      return permanentFailure("template_error", error.message);
    }
    // Reading a template from the database failed: worth another attempt.
    return {
      kind: "internal_error",
      retryable: true,
      message: `rendering failed: ${error instanceof Error ? error.message : String(error)}`,
      upstreamStatus: null,
      upstreamBody: null,
    };
  }
}

export async function prepare(
  dependencies: PrepareDependencies,
  notification: ClaimedNotification,
  plan: WorkflowPlan | undefined,
): Promise<Preparation> {
  if (plan === undefined) {
    return {
      failure: permanentFailure(
        "workflow_unavailable",
        notification.workflowId === null
          ? "the notification names no workflow"
          : `workflow ${notification.workflowId} is unknown, unpublished, deactivated or not ` +
            "available to this enterprise",
      ),
    };
  }
  if (notification.recipients.length === 0) {
    return { failure: permanentFailure("no_recipients", "the notification has no recipients") };
  }
  const channels = effectiveChannels(plan, notification.channels);
  if (channels.length === 0) {
    return {
      failure: permanentFailure(
        "no_channels",
        `none of the notification's channels is offered by workflow ${plan.key}`,
      ),
    };
  }
  const verdict = dependencies.validatePayload(plan, notification.payload);
  if (!verdict.valid) {
    return {
      failure: permanentFailure(
        verdict.reason === "schema_invalid" ? "workflow_unavailable" : "payload_invalid",
        verdict.message,
      ),
    };
  }
  if (plan.type === "DYNAMIC") {
    const failure = await renderCheck(dependencies.render, plan, notification, channels);
    if (failure) return { failure };
  }
  const payload = novuPayload(notification);
  return {
    events: chunkRecipients(notification.id, notification.recipients).map((chunk) => ({
      notificationId: notification.id,
      workflowId: plan.key,
      to: chunk.subscriberIds,
      payload,
      ...(notification.overrides !== null && { overrides: notification.overrides }),
      transactionId: chunk.transactionId,
    })),
  };
}
