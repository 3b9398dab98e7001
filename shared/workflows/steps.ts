import type { Channel } from "../channels.ts";
import { channelIsRequested, NOVU_STEP_OF_CHANNEL, type XnovuEnvelope } from "./channels.ts";

/** What a template renders to for one channel (subject only where the channel has one). */
export interface RenderedContent {
  subject?: string;
  body: string;
}

export interface InlineTemplate {
  subject?: string;
  body: string;
}

/**
 * The one rendering port workflows depend on; the bridge binds it to the template engine.
 * `template` is a template key or numeric id (resolved in the enterprise, then shared), or
 * an inline template (static workflows).
 */
export interface StepRenderRequest {
  enterpriseId: string;
  channel: Channel;
  template: string | InlineTemplate;
  variables: Record<string, unknown>;
}
export type RenderStep = (request: StepRenderRequest) => Promise<RenderedContent>;

/**
 * The subset of the framework's `step` object XNovu uses. The framework's own step types are
 * generic over each channel's output schema; this narrower shape is what the builders need.
 */
type StepFunction = (
  stepId: string,
  resolve: () => Promise<Record<string, string>>,
  options: { skip: () => boolean; disableOutputSanitization: boolean },
) => Promise<unknown>;
export interface ChannelSteps {
  email: StepFunction;
  inApp: StepFunction;
  sms: StepFunction;
  push: StepFunction;
  chat: StepFunction;
}

/**
 * Shapes rendered content into the Novu step output of a channel. Email and push need a
 * subject, so a template without one falls back to `fallbackSubject` (the workflow name);
 * in-app rejects an empty subject, so an empty one is left out.
 */
export function stepOutput(
  channel: Channel,
  content: RenderedContent,
  fallbackSubject: string,
): Record<string, string> {
  const subject = content.subject?.trim() ? content.subject : undefined;
  switch (channel) {
    case "EMAIL":
    case "PUSH":
      return { subject: subject ?? fallbackSubject, body: content.body };
    case "IN_APP":
      return subject === undefined ? { body: content.body } : { subject, body: content.body };
    case "SMS":
    case "CHAT":
      return { body: content.body };
  }
}

export interface ChannelStepSpec {
  channel: Channel;
  render: () => Promise<RenderedContent>;
}

/**
 * Declares one Novu step per channel, in order; a channel the notification did not ask for
 * is skipped (Novu records the step as skipped and sends nothing for it).
 */
export async function runChannelSteps(
  step: ChannelSteps,
  specs: ChannelStepSpec[],
  envelope: XnovuEnvelope | undefined,
  fallbackSubject: string,
): Promise<void> {
  for (const spec of specs) {
    const { stepId, stepFunction } = NOVU_STEP_OF_CHANNEL[spec.channel];
    await step[stepFunction](
      stepId,
      async () => stepOutput(spec.channel, await spec.render(), fallbackSubject),
      {
        skip: () => !channelIsRequested(envelope, spec.channel),
        // The template engine already escaped data and restricted in-app HTML; the framework's
        // own sanitiser would re-parse plain-text subjects as HTML and mangle a `<` in data.
        disableOutputSanitization: true,
      },
    );
  }
}
