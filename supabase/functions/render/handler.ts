import { z } from "zod";
import {
  type CallerCanAccessEnterprise,
  readEnterpriseRequest,
} from "../../../shared/http/enterprise-request.ts";
import { errorResponse, jsonResponse } from "../../../shared/http/errors.ts";
import { channelSchema } from "../../../shared/workflows/channels.ts";
import { refuseUnstorableText, storableJsonObject } from "../../../shared/http/storable.ts";
import {
  type RenderInlineRequest,
  type RenderResult,
  type RenderStoredRequest,
  TemplateError,
} from "../../../shared/templates/mod.ts";

/**
 * `template` is a `template_key` (string) or an id (integer); `inline` is a template given in
 * the request. Exactly one of the two.
 */
export const renderRequestSchema = z.object({
  enterprise_id: z.string().uuid(),
  // Ids are bigints; past 2^53 a JSON number no longer names one id exactly.
  template: z.union([
    z.string().min(1).superRefine(refuseUnstorableText),
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  ]).optional(),
  inline: z.object({
    subject: z.string().optional(),
    body: z.string(),
    channel: channelSchema,
  }).strict().optional(),
  variables: storableJsonObject.default({}),
  channel: channelSchema.optional(),
}).strict()
  .refine((request) => (request.template === undefined) !== (request.inline === undefined), {
    message: "give exactly one of template or inline",
    path: ["template"],
  })
  .refine(
    (request) =>
      request.inline === undefined || request.channel === undefined ||
      request.channel === request.inline.channel,
    { message: "channel must match inline.channel", path: ["channel"] },
  );
export type RenderRequestBody = z.infer<typeof renderRequestSchema>;

export interface RenderHandlerDependencies {
  callerCanAccessEnterprise: CallerCanAccessEnterprise;
  render: (request: RenderStoredRequest) => Promise<RenderResult>;
  renderInline: (request: RenderInlineRequest) => Promise<RenderResult>;
  logError: (message: string, error: unknown) => void;
}

function renderBody(result: RenderResult) {
  return {
    ...(result.subject !== undefined && { subject: result.subject }),
    body: result.body,
    channel: result.channel,
    templates_used: result.templatesUsed,
    ...(result.smsSegments !== undefined &&
      { sms_segments: result.smsSegments, sms_encoding: result.smsEncoding }),
  };
}

/**
 * `POST /functions/v1/render`. Access: service_role, or an authenticated member of the
 * enterprise. A caller without access gets 403 before any template is looked up, so the
 * answer is the same whether or not the template exists (nothing about another
 * enterprise's content leaks; the enterprise id is the caller's own input).
 */
export function createRenderHandler(
  dependencies: RenderHandlerDependencies,
): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      const accepted = await readEnterpriseRequest(
        request,
        renderRequestSchema,
        dependencies.callerCanAccessEnterprise,
      );
      if (accepted instanceof Response) return accepted;
      const { body } = accepted;
      const result = body.inline !== undefined
        ? await dependencies.renderInline({
          enterpriseId: body.enterprise_id,
          template: body.inline,
          variables: body.variables,
        })
        : await dependencies.render({
          enterpriseId: body.enterprise_id,
          template: typeof body.template === "number"
            ? { id: body.template }
            : { key: body.template! },
          channel: body.channel,
          variables: body.variables,
        });
      return jsonResponse(200, renderBody(result));
    } catch (error) {
      if (error instanceof TemplateError) {
        return errorResponse(422, error.code, error.message, { chain: error.chain });
      }
      dependencies.logError("render failed", error);
      return errorResponse(500, "INTERNAL", "rendering failed; see the function logs");
    }
  };
}
