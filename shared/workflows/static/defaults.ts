import { z } from "zod";
import type { StaticWorkflowDefinition } from "./definition.ts";

const text = z.string().min(1);

/** Email and in-app wrap the text in a paragraph; the engine escapes it, so it stays text. */
export const defaultEmail: StaticWorkflowDefinition = {
  key: "default-email",
  name: "Default email",
  description: "One email with the payload's subject and text body.",
  payloadSchema: z.object({ subject: text, body: text }),
  templates: { EMAIL: { subject: "{{subject}}", body: "<p>{{body}}</p>" } },
};

export const defaultInApp: StaticWorkflowDefinition = {
  key: "default-in-app",
  name: "Default in-app",
  description: "One in-app message with an optional subject and a text body.",
  payloadSchema: z.object({ subject: text.optional(), body: text }),
  templates: { IN_APP: { subject: "{{subject}}", body: "<p>{{body}}</p>" } },
};

export const defaultSms: StaticWorkflowDefinition = {
  key: "default-sms",
  name: "Default SMS",
  description: "One SMS with the payload's text body.",
  payloadSchema: z.object({ body: text }),
  templates: { SMS: { body: "{{body}}" } },
};

export const defaultPush: StaticWorkflowDefinition = {
  key: "default-push",
  name: "Default push",
  description: "One push notification with the payload's title and text body.",
  payloadSchema: z.object({ subject: text, body: text }),
  templates: { PUSH: { subject: "{{subject}}", body: "{{body}}" } },
};

export const defaultChat: StaticWorkflowDefinition = {
  key: "default-chat",
  name: "Default chat",
  description: "One chat message with the payload's text body.",
  payloadSchema: z.object({ body: text }),
  templates: { CHAT: { body: "{{body}}" } },
};

export const defaultMultiChannel: StaticWorkflowDefinition = {
  key: "default-multi-channel",
  name: "Default multi-channel",
  description:
    "The same subject and text on every channel; the notification's channels pick which run.",
  payloadSchema: z.object({ subject: text, body: text }),
  templates: {
    EMAIL: { subject: "{{subject}}", body: "<p>{{body}}</p>" },
    IN_APP: { subject: "{{subject}}", body: "<p>{{body}}</p>" },
    SMS: { body: "{{subject}}: {{body}}" },
    PUSH: { subject: "{{subject}}", body: "{{body}}" },
    CHAT: { body: "{{subject}}: {{body}}" },
  },
};
