import { zodToJsonSchema } from "zod-to-json-schema";
import { type Channel, CHANNELS } from "../channels.ts";
import { xnovuEnvelopeSchema } from "./channels.ts";
import { registrationOf } from "./static/registration.ts";
import type { StaticWorkflowDefinition } from "./static/definition.ts";
import type { InlineTemplate } from "./steps.ts";

/**
 * The one workflow model: what a workflow sends, on which channels, with which templates, for
 * which payload. The store makes it from `notify.ent_notification_workflow` rows (DYNAMIC
 * workflows, and STATIC ones as registered), the code makes it from the static definitions;
 * the dispatcher checks notifications against it and the bridge builds Novu workflows from it.
 */
export interface WorkflowPlan {
  /** The row's id and version (`updated_at`); null for a plan made from code alone. */
  id: number | null;
  version: string | null;
  key: string;
  type: "STATIC" | "DYNAMIC";
  name: string;
  description: string | undefined;
  /** null = shared workflow, usable by every enterprise. */
  ownerEnterpriseId: string | null;
  /** The channels the workflow offers; null = unrestricted (the row names none). */
  defaultChannels: Channel[] | null;
  /** One step per offered channel, in the canonical channel order. */
  steps: WorkflowStep[];
  /** JSON Schema of the notification's own payload (without `_xnovu`); null = anything. */
  payloadSchema: Record<string, unknown> | null;
}

export interface WorkflowStep {
  channel: Channel;
  /**
   * Template key or numeric id (as text) for a row's step, inline template for code; null
   * when the row's `template_overrides` names none.
   */
  template: string | InlineTemplate | null;
}

/** The columns of `notify.ent_notification_workflow` a plan is made from. */
export interface WorkflowRow {
  id: string;
  workflow_key: string;
  workflow_type: "STATIC" | "DYNAMIC";
  name: string;
  description: string | null;
  enterprise_id: string | null;
  default_channels: Channel[] | null;
  payload_schema: Record<string, unknown> | null;
  /**
   * By channel, as `notify_internal.template_overrides_by_channel` reads the column (which may
   * also hold seed 03's `{"emailTemplateId": 123}` shape).
   */
  template_overrides: Record<string, unknown> | null;
  updated_at: string;
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

/** The payload schema the bridge declares to Novu for a plan. */
export function frameworkPayloadSchema(plan: WorkflowPlan): Record<string, unknown> {
  return extendPayloadSchema(plan.payloadSchema);
}

function templateReference(value: unknown): string | null {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  return null;
}

/** A row's plan: one step per known channel in `default_channels`, in canonical order. */
export function planWorkflowRow(row: WorkflowRow): WorkflowPlan {
  const wanted = new Set(row.default_channels ?? []);
  const overrides = row.template_overrides ?? {};
  return {
    id: Number(row.id),
    version: row.updated_at,
    key: row.workflow_key,
    type: row.workflow_type,
    name: row.name,
    description: row.description ?? undefined,
    ownerEnterpriseId: row.enterprise_id,
    defaultChannels: row.default_channels,
    steps: CHANNELS.filter((channel) => wanted.has(channel)).map((channel) => ({
      channel,
      template: templateReference(overrides[channel]),
    })),
    payloadSchema: row.payload_schema,
  };
}

/** A STATIC workflow's plan from its code: what the sync registers, with inline templates. */
export function planStaticWorkflow(definition: StaticWorkflowDefinition): WorkflowPlan {
  const registration = registrationOf(definition);
  return {
    id: null,
    version: null,
    key: registration.workflow_key,
    type: "STATIC",
    name: registration.name,
    description: registration.description,
    ownerEnterpriseId: null,
    defaultChannels: registration.default_channels,
    steps: registration.default_channels.map((channel) => ({
      channel,
      template: definition.templates[channel]!,
    })),
    payloadSchema: registration.payload_schema,
  };
}

/** The channels a notification is sent on: the workflow's offer narrowed by its own list. */
export function effectiveChannels(plan: WorkflowPlan, asked: Channel[] | null): Channel[] {
  const offered = new Set(plan.defaultChannels ?? CHANNELS);
  const wanted = new Set(asked ?? CHANNELS);
  return CHANNELS.filter((channel) => offered.has(channel) && wanted.has(channel));
}

/**
 * Which template a step renders for a notification of `enterpriseId`. An enterprise's own
 * workflow never renders for another enterprise (Novu workflow ids are global, the
 * enterprise in the payload is not).
 */
export function templateForStep(
  plan: WorkflowPlan,
  step: WorkflowStep,
  enterpriseId: string,
): string | InlineTemplate {
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
