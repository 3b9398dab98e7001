import { Client, NovuRequestHandler, workflow } from "@novu/framework";
import { type XnovuEnvelope, xnovuEnvelopeSchema } from "./channels.ts";
import { type DynamicWorkflowPlan, templateForStep } from "./dynamic.ts";
import { channelsOf, type StaticWorkflowDefinition } from "./static/mod.ts";
import { type ChannelSteps, type RenderStep, runChannelSteps } from "./steps.ts";

type Workflow = ReturnType<typeof workflow>;

/**
 * Every XNovu workflow requires the `_xnovu` envelope (schema-checked by the framework, 400
 * otherwise): it names the enterprise whose templates render and the channels to run.
 */
interface NotificationPayload {
  _xnovu: XnovuEnvelope;
  [variable: string]: unknown;
}

/** Template variables: the notification's payload (minus the envelope) and the subscriber. */
function variablesOf(payload: NotificationPayload, subscriber: unknown): Record<string, unknown> {
  const { _xnovu: _envelope, ...variables } = payload;
  return { ...variables, subscriber };
}

export function buildStaticWorkflow(
  definition: StaticWorkflowDefinition,
  render: RenderStep,
): Workflow {
  return workflow(
    definition.key,
    async ({ step, payload, subscriber }) => {
      const notification = payload as NotificationPayload;
      const envelope = notification._xnovu;
      await runChannelSteps(
        step as unknown as ChannelSteps,
        channelsOf(definition).map((channel) => ({
          channel,
          render: () =>
            render({
              enterpriseId: envelope.enterprise_id,
              channel,
              template: definition.templates[channel]!,
              variables: variablesOf(notification, subscriber),
            }),
        })),
        envelope,
        definition.name,
      );
    },
    {
      name: definition.name,
      description: definition.description,
      payloadSchema: definition.payloadSchema.extend({ _xnovu: xnovuEnvelopeSchema }),
    },
  );
}

export function buildDynamicWorkflow(plan: DynamicWorkflowPlan, render: RenderStep): Workflow {
  return workflow(
    plan.key,
    async ({ step, payload, subscriber }) => {
      const notification = payload as NotificationPayload;
      const envelope = notification._xnovu;
      await runChannelSteps(
        step as unknown as ChannelSteps,
        plan.steps.map((dynamicStep) => ({
          channel: dynamicStep.channel,
          render: () =>
            render({
              enterpriseId: envelope.enterprise_id,
              channel: dynamicStep.channel,
              template: templateForStep(plan, dynamicStep, envelope.enterprise_id),
              variables: variablesOf(notification, subscriber),
            }),
        })),
        envelope,
        plan.name,
      );
    },
    {
      name: plan.name,
      description: plan.description,
      // deno-lint-ignore no-explicit-any
      payloadSchema: plan.payloadSchema as any,
    },
  );
}

export interface NovuBridgeOptions {
  secretKey: string | undefined;
  workflows: Workflow[];
}

/**
 * A fetch-style handler speaking Novu's bridge protocol for `workflows`. Strict HMAC
 * authentication regardless of NODE_ENV.
 */
export function createNovuRequestHandler(
  options: NovuBridgeOptions,
): (request: Request) => Promise<Response> {
  const client = new Client({
    secretKey: options.secretKey,
    // Always strict: without a secret key every signed action fails closed (only health-check
    // answers), rather than silently accepting unsigned calls.
    strictAuthentication: true,
    verbose: false,
  });
  return new NovuRequestHandler({
    frameworkName: "deno",
    client,
    workflows: options.workflows,
    handler: (request: Request) => ({
      body: () => request.json(),
      headers: (name: string) => request.headers.get(name),
      method: () => request.method,
      url: () => new URL(request.url),
      transformResponse: ({ body, status, headers }) => new Response(body, { status, headers }),
    }),
  }).createHandler();
}
