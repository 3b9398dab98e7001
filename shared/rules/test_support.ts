import { createPayloadValidator } from "../dispatch/payload-validation.ts";
import type { RuleDefinition } from "./firing.ts";

export const ENTERPRISE_A = "11111111-1111-4111-8111-111111111111";
export const ENTERPRISE_B = "22222222-2222-4222-8222-222222222222";
export const RESIDENT = "aaaaaaaa-0000-4000-8000-000000000001";
export const validatePayload = createPayloadValidator();

/** A rule of enterprise A whose workflow requires a string `doorName`. */
export function ruleDefinition(overrides: Partial<RuleDefinition> = {}): RuleDefinition {
  return {
    id: 7,
    enterpriseId: ENTERPRISE_A,
    name: "Door forced open",
    version: "2027-01-01T00:00:00.123456Z",
    rulePayload: { payload: { doorName: "{{event.payload.doorName}}" }, recipients: [RESIDENT] },
    workflow: {
      id: 3,
      version: "2027-01-01",
      payloadSchema: {
        type: "object",
        required: ["doorName"],
        properties: { doorName: { type: "string", minLength: 1 } },
      },
    },
    ...overrides,
  };
}
