import { zodToJsonSchema } from "zod-to-json-schema";
import type { Channel } from "../../channels.ts";
import { channelsOf, type StaticWorkflowDefinition } from "./definition.ts";

/** The `notify.ent_notification_workflow` row that registers a STATIC workflow. */
export interface StaticWorkflowRegistration {
  workflow_key: string;
  name: string;
  description: string;
  default_channels: Channel[];
  payload_schema: Record<string, unknown>;
}

export function registrationOf(definition: StaticWorkflowDefinition): StaticWorkflowRegistration {
  return {
    workflow_key: definition.key,
    name: definition.name,
    description: definition.description,
    default_channels: channelsOf(definition),
    payload_schema: zodToJsonSchema(definition.payloadSchema, {
      $refStrategy: "none",
      target: "jsonSchema7",
    }) as Record<string, unknown>,
  };
}
