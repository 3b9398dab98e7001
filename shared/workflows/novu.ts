import { Client, NovuRequestHandler, workflow } from "@novu/framework";
import type { XnovuEnvelope } from "./channels.ts";
import { frameworkPayloadSchema, templateForStep, type WorkflowPlan } from "./plan.ts";
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

/** The one builder: a Novu framework workflow from a plan, static or dynamic alike. */
export function buildWorkflow(plan: WorkflowPlan, render: RenderStep): Workflow {
  return workflow(
    plan.key,
    async ({ step, payload, subscriber }) => {
      const notification = payload as NotificationPayload;
      const envelope = notification._xnovu;
      await runChannelSteps(
        step as unknown as ChannelSteps,
        plan.steps.map((planStep) => ({
          channel: planStep.channel,
          render: () =>
            render({
              enterpriseId: envelope.enterprise_id,
              channel: planStep.channel,
              template: templateForStep(plan, planStep, envelope.enterprise_id),
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
      payloadSchema: frameworkPayloadSchema(plan) as any,
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
