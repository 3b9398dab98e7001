import type { z } from "zod";
import type { Channel } from "../../channels.ts";
import type { InlineTemplate } from "../steps.ts";

/**
 * A STATIC workflow: code, not a row. `payloadSchema` describes the notification's own
 * payload (what the platform writes into `ent_notification.payload`, and what the sync task
 * stores as `payload_schema`); the bridge requires the reserved `_xnovu` envelope on top.
 * Each channel renders its inline template with the template engine, so escaping and
 * plain-text rules are the same as for DB templates.
 */
export interface StaticWorkflowDefinition {
  key: string;
  name: string;
  description: string;
  // deno-lint-ignore no-explicit-any
  payloadSchema: z.ZodObject<any>;
  templates: Partial<Record<Channel, InlineTemplate>>;
}

export function channelsOf(definition: StaticWorkflowDefinition): Channel[] {
  return Object.keys(definition.templates) as Channel[];
}
