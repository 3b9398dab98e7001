import {
  defaultChat,
  defaultEmail,
  defaultInApp,
  defaultMultiChannel,
  defaultPush,
  defaultSms,
} from "./defaults.ts";
import { fireEmergencyAlert } from "./fire-emergency-alert.ts";
import type { StaticWorkflowDefinition } from "./definition.ts";

export { channelsOf, type StaticWorkflowDefinition } from "./definition.ts";

/** Every STATIC workflow the bridge serves and the sync task registers. */
export const STATIC_WORKFLOWS: readonly StaticWorkflowDefinition[] = [
  defaultEmail,
  defaultInApp,
  defaultSms,
  defaultPush,
  defaultChat,
  defaultMultiChannel,
  fireEmergencyAlert,
];
