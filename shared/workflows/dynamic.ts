import { zodToJsonSchema } from "zod-to-json-schema";
import { type Channel, CHANNELS, xnovuEnvelopeSchema } from "./channels.ts";

/** The columns of `notify.ent_notification_workflow` a DYNAMIC workflow is built from. */
export interface DynamicWorkflowRow {
  workflow_key: string;
  name: string;
  description: string | null;
  enterprise_id: string | null;
  default_channels: Channel[] | null;
  payload_schema: Record<string, unknown> | null;
  template_overrides: Record<string, unknown> | null;
}

export interface DynamicChannelStep {
  channel: Channel;
  /** Template key or numeric id (as text); null when `template_overrides` names none. */
  template: string | null;
}

export interface DynamicWorkflowPlan {
  key: string;
  name: string;
  description: string | undefined;
  /** null = shared workflow, usable by every enterprise. */
  ownerEnterpriseId: string | null;
  steps: DynamicChannelStep[];
  payloadSchema: Record<string, unknown>;
}

export class DynamicWorkflowError extends Error {
  constructor(readonly code: "TEMPLATE_NOT_CONFIGURED" | "ENTERPRISE_MISMATCH", message: string) {
    super(message);
    this.name = "DynamicWorkflowError";
  }
}

function withoutMetaSchema(schema: Record<string, unknown>): Record<string, unknown> {
  // The framework validates with Ajv's default draft; a `$schema` of another draft would make
  // Ajv refuse the whole schema, and the keyword adds nothing to validation here.
  const { $schema: _metaSchema, ...rest } = schema;
  return rest;
}

export const XNOVU_ENVELOPE_JSON_SCHEMA = withoutMetaSchema(
  zodToJsonSchema(xnovuEnvelopeSchema, { $refStrategy: "none" }) as Record<string, unknown>,
);

/**
 * The row's payload schema plus the required `_xnovu` envelope: templates render in an
 * enterprise, so a payload that does not say which one is refused (400) by the framework.
 */
export function extendPayloadSchema(
  schema: Record<string, unknown> | null,
): Record<string, unknown> {
  const base = schema && schema.type === "object" ? withoutMetaSchema(schema) : { type: "object" };
  const properties = (base.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(base.required) ? base.required as string[] : [];
  return {
    ...base,
    type: "object",
    properties: { ...properties, _xnovu: XNOVU_ENVELOPE_JSON_SCHEMA },
    required: [...new Set([...required, "_xnovu"])],
  };
}

function templateReference(value: unknown): string | null {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  return null;
}

/** One step per known channel in `default_channels`, in the canonical channel order. */
export function planDynamicWorkflow(row: DynamicWorkflowRow): DynamicWorkflowPlan {
  const wanted = new Set(row.default_channels ?? []);
  const overrides = row.template_overrides ?? {};
  return {
    key: row.workflow_key,
    name: row.name,
    description: row.description ?? undefined,
    ownerEnterpriseId: row.enterprise_id,
    steps: CHANNELS.filter((channel) => wanted.has(channel)).map((channel) => ({
      channel,
      template: templateReference(overrides[channel]),
    })),
    payloadSchema: extendPayloadSchema(row.payload_schema),
  };
}

/**
 * Which template a step renders for a notification of `enterpriseId`. An enterprise's own
 * workflow never renders for another enterprise (Novu workflow ids are global, the
 * enterprise in the payload is not).
 */
export function templateForStep(
  plan: DynamicWorkflowPlan,
  step: DynamicChannelStep,
  enterpriseId: string,
): string {
  if (plan.ownerEnterpriseId !== null && plan.ownerEnterpriseId !== enterpriseId) {
    throw new DynamicWorkflowError(
      "ENTERPRISE_MISMATCH",
      `workflow ${plan.key} belongs to another enterprise`,
    );
  }
  if (step.template === null) {
    throw new DynamicWorkflowError(
      "TEMPLATE_NOT_CONFIGURED",
      `workflow ${plan.key} has no template_overrides entry for channel ${step.channel}`,
    );
  }
  return step.template;
}
