import Mustache from "mustache";

/** Payload values are data for the workflow, escaped later per channel by the template engine. */
const NO_ESCAPING = { escape: (text: string) => text };

/**
 * The notification payload of one firing: every string in the rule's `payload` rendered as a
 * mustache template against the firing context (`{{event.payload.doorName}}`, `{{fire_at}}`,
 * `{{rule.name}}`); keys, numbers, booleans and nulls are kept as they are.
 */
export function renderPayload(template: unknown, context: Record<string, unknown>): unknown {
  if (typeof template === "string") {
    return template.includes("{{") ? Mustache.render(template, context, {}, NO_ESCAPING) : template;
  }
  if (Array.isArray(template)) return template.map((item) => renderPayload(item, context));
  if (template !== null && typeof template === "object") {
    return Object.fromEntries(
      Object.entries(template).map(([key, value]) => [key, renderPayload(value, context)]),
    );
  }
  return template;
}
