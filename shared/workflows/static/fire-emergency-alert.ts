import { z } from "zod";
import type { StaticWorkflowDefinition } from "./definition.ts";

/** A building's fire alarm escalated to every occupant on every channel. */
export const fireEmergencyAlert: StaticWorkflowDefinition = {
  key: "fire-emergency-alert",
  name: "Fire emergency alert",
  description: "Fire detected in a building: where, how severe, and what occupants must do.",
  payloadSchema: z.object({
    building: z.string().min(1),
    floor: z.union([z.string().min(1), z.number().int()]),
    severity: z.enum(["LOW", "MEDIUM", "HIGH", "CRITICAL"]),
    instructions: z.string().min(1),
    evacuation_point: z.string().min(1).optional(),
  }),
  templates: {
    EMAIL: {
      subject: "FIRE ALERT ({{severity}}): {{building}}, floor {{floor}}",
      body: "<h1>Fire alert: {{building}}</h1>" +
        "<p>Floor {{floor}}, severity {{severity}}.</p>" +
        "<p>{{instructions}}</p>" +
        "{{#evacuation_point}}<p>Evacuation point: {{evacuation_point}}</p>{{/evacuation_point}}",
    },
    IN_APP: {
      subject: "Fire alert: {{building}}",
      body: "<p><strong>Floor {{floor}}</strong> ({{severity}}): {{instructions}}</p>",
    },
    SMS: { body: "FIRE ALERT {{severity}} {{building}} floor {{floor}}: {{instructions}}" },
    PUSH: {
      subject: "Fire alert: {{building}}",
      body: "Floor {{floor}} ({{severity}}): {{instructions}}",
    },
    CHAT: { body: "FIRE ALERT ({{severity}}) {{building}}, floor {{floor}}. {{instructions}}" },
  },
};
