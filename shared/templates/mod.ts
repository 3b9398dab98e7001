/**
 * XNovu template engine: mustache templates with nested includes, rendered per channel.
 * Pure TypeScript; the only I/O is the injected `TemplateLoader`.
 *
 * ## Syntax
 *
 * - Variables and sections are mustache: `{{name}}`, `{{user.name}}`, `{{#items}}…{{/items}}`,
 *   `{{^flag}}…{{/flag}}`. A missing variable renders as nothing. Every variable is
 *   HTML-escaped, `{{{triple}}}` and `{{&name}}` included: data is always text.
 * - Includes: `{{ xnovu_render('footer', { name: 'Lobby, 2: "east"', n: 3, ok: true, who: user.name }) }}`
 *   renders the body of another template in place. The first argument is a quoted
 *   `template_key`, or an id (an integer, or a quoted string of digits such as `'12345'`).
 *   The optional second argument is an object literal whose values are string, number or
 *   boolean literals or variable paths. Whitespace is free, strings take single or double
 *   quotes and backslash escapes. `findIncludes(source)` parses them (see `include_parser.ts`
 *   for the grammar) and throws `TemplateSyntaxError` on a malformed one.
 * - Inside an included template, a variable is looked up in this order: the include's
 *   arguments, then the caller's context (the render's variables and the arguments and section
 *   items of every enclosing level), then the included template's own defaults. An argument
 *   whose path resolves to nothing is left out, so the lower levels still apply.
 * - Defaults come from `variables_description`: an object keyed by variable name (dotted names
 *   set nested values) whose values are `{ "default": <value>, "description": "…" }`, or a
 *   plain value taken as the default itself; an entry without `default` only describes:
 *   `{ "name": { "default": "Resident", "description": "who is addressed" }, "site": "HQ" }`.
 *
 * ## Resolution and limits
 *
 * Templates are found through the loader (rule on `TemplateLoader`): the enterprise's own
 * published, active row first, then a shared one; never another enterprise's. The template a
 * render starts from must be of the requested channel when one is given; includes are looked up
 * without a channel (a partial is used by templates of any channel). Includes are resolved
 * before anything renders, so these errors are thrown (never rendered), each a
 * `TemplateError` with a `code` and the `chain` of templates (`welcome → footer → missing`):
 * `TemplateNotFoundError`, `TemplateCycleError` (`a → b → a`), `TemplateDepthError` (more than
 * `maxDepth`, default 10, include levels below the root), `TemplateSyntaxError` (malformed
 * include or mustache tag, with line and column).
 *
 * ## Channels
 *
 * EMAIL: HTML with escaped variables; data at the start of a URL attribute must be an http,
 * https, mailto, tel, cid or relative URL (else `about:invalid`), and data inside event handler
 * attributes, tag or attribute names, `srcdoc`, `<script>` or `<style>` renders as nothing.
 * IN_APP: the same, then sanitised with `sanitize-html` to b, i, em, strong, a[href http/https/
 * mailto], p, br, ul, ol, li, span. SMS, PUSH, CHAT: plain text (tags stripped, entities
 * decoded, whitespace collapsed); SMS also reports `smsSegments` and `smsEncoding`. A subject
 * is always plain text.
 *
 * ## Cache
 *
 * A render resolves its whole include graph once per (enterprise, channel, root ref) and keeps
 * it for `cacheTtlMs` (default 1000 ms, clock injectable): within that time a render makes no
 * loader call. Compiled rows are kept by id and compiled again when a reload returns another
 * `updated_at`. Call `invalidate({ id, key, enterpriseId })` when a row changes to drop every
 * graph that depends on it at once; `clear()` drops everything.
 *
 * @example
 * ```ts
 * const engine = createTemplateEngine({ loader: myDatabaseLoader });
 * const { subject, body, templatesUsed } = await engine.render({
 *   enterpriseId, template: { key: "fire-alarm-email" }, channel: "EMAIL", variables: payload,
 * });
 * ```
 */
export {
  createTemplateEngine,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_MAX_DEPTH,
  defaultsFromDescription,
  INLINE_TEMPLATE_LABEL,
  type TemplateEngine,
  type TemplateEngineOptions,
} from "./engine.ts";
export { findIncludes, type IncludeArgument, type IncludeCall } from "./include_parser.ts";
export {
  type CompiledSource,
  compileSource as parseTemplate,
  MAX_RENDERED_CHARS,
  MAX_SECTION_DEPTH,
  RENDER_TIME_BUDGET_MS,
} from "./compile.ts";
export { MAX_SMS_CHARS, smsSegments, toPlainText, toRestrictedHtml } from "./channels.ts";
export { createMemoryTemplateLoader } from "./memory_loader.ts";
export {
  CHAIN_SEPARATOR,
  TemplateCycleError,
  TemplateDepthError,
  TemplateError,
  type TemplateErrorCode,
  TemplateLimitError,
  TemplateNotFoundError,
  TemplateSyntaxError,
} from "./errors.ts";
export {
  type InlineTemplate,
  type InvalidateSelector,
  type RenderInlineRequest,
  type RenderResult,
  type RenderStoredRequest,
  type SmsEncoding,
  type TemplateLoader,
  type TemplateRecord,
  type TemplateRef,
  type TemplateScope,
  type TemplateVariables,
} from "./types.ts";
