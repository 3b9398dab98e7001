import type { Channel } from "../channels.ts";

/** A template named by its `template_key` or by its numeric `id`. */
export type TemplateRef = { key: string } | { id: number };

/** The columns of a `notify.ent_notification_template` row the engine reads. */
export interface TemplateRecord {
  id: number;
  template_key: string | null;
  /** `null` for a shared template, usable by every enterprise. */
  enterprise_id: string | null;
  channel_type: Channel;
  subject_template: string | null;
  body_template: string;
  /** See the module documentation of `mod.ts` for how defaults are read from it. */
  variables_description: unknown;
  /** Compared on every reload: a row whose `updated_at` changed is compiled again. */
  updated_at: string;
  publish_status: string;
  deactivated: boolean;
}

/** Where a template is looked up. */
export interface TemplateScope {
  /** The notification's enterprise. */
  enterpriseId: string;
  /** Set for the template a render starts from; includes are looked up without a channel. */
  channel?: Channel;
}

/**
 * Finds one template; the engine itself does no I/O. Every implementation must follow this rule:
 *
 * - consider only rows with `publish_status = 'PUBLISH'` and `deactivated = false`,
 *   and, when `scope.channel` is set, `channel_type = scope.channel`;
 * - match `template_key = ref.key` or `id = ref.id`;
 * - prefer the row of `scope.enterpriseId`, else a shared row (`enterprise_id is null`);
 * - never return a row of another enterprise; return `null` when nothing matches.
 */
export type TemplateLoader = (
  ref: TemplateRef,
  scope: TemplateScope,
) => Promise<TemplateRecord | null>;

/** Template variables: the notification payload or the render request's `variables`. */
export type TemplateVariables = Record<string, unknown>;

/** A template given in the request rather than stored in a row. */
export interface InlineTemplate {
  channel: Channel;
  subject?: string | null;
  body: string;
  /** Same format as a row's `variables_description`. */
  variablesDescription?: unknown;
}

export interface RenderStoredRequest {
  enterpriseId: string;
  template: TemplateRef;
  /** When set, the template must be of this channel; otherwise its own channel is used. */
  channel?: Channel;
  variables?: TemplateVariables;
}

export interface RenderInlineRequest {
  enterpriseId: string;
  template: InlineTemplate;
  variables?: TemplateVariables;
}

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface RenderResult {
  channel: Channel;
  /** Plain text; present when the template has a subject. */
  subject?: string;
  /** EMAIL: HTML; IN_APP: restricted HTML; SMS, PUSH, CHAT: plain text. */
  body: string;
  /** Labels (`template_key`, or `#<id>` without a key) of every template resolved, root first. */
  templatesUsed: string[];
  /** SMS only: how many message parts the body takes. */
  smsSegments?: number;
  /** SMS only. */
  smsEncoding?: SmsEncoding;
}

/**
 * Selects cache entries to drop. Pass the changed row's `id` and/or `template_key` (either
 * matches) and its `enterprise_id`: a string limits the drop to that enterprise, `null` (a
 * shared row) or an omitted field affects every enterprise. `{ enterpriseId }` alone drops
 * everything cached for that enterprise.
 */
export interface InvalidateSelector {
  id?: number;
  key?: string;
  enterpriseId?: string | null;
}
