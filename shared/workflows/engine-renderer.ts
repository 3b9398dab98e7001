import type { TemplateEngine, TemplateRef } from "../templates/mod.ts";
import type { RenderStep } from "./steps.ts";

/**
 * A template reference as written in `template_overrides`: digits are an id, anything else a
 * `template_key` (the same reading as the include syntax's first argument).
 */
export function parseTemplateReference(reference: string): TemplateRef {
  return /^\d+$/.test(reference) ? { id: Number(reference) } : { key: reference };
}

/** Binds the workflows' rendering port to the template engine. */
export function engineRenderer(engine: TemplateEngine): RenderStep {
  return async ({ enterpriseId, channel, template, variables }) => {
    const result = typeof template === "string"
      ? await engine.render({
        enterpriseId,
        template: parseTemplateReference(template),
        channel,
        variables,
      })
      : await engine.renderInline({
        enterpriseId,
        template: { channel, subject: template.subject, body: template.body },
        variables,
      });
    return { subject: result.subject, body: result.body };
  };
}
