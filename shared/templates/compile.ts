/**
 * Compiling and rendering one template source with mustache.
 *
 * Include tags are cut out of the source before mustache sees it (their string arguments may
 * contain `}}`), replaced by `{{&xnovu_include}}` placeholders and recognised again by their
 * offset in mustache's token tree, so an include inside a section renders once per item with
 * that item in scope.
 *
 * Every variable is HTML-escaped, including `{{{triple}}}` and `{{&ampersand}}` tags: data is
 * text, never markup. At compile time the HTML around each variable is parsed (htmlparser2) to
 * find where escaping is not enough:
 *
 * - inside an event handler attribute, an attribute or tag name, `srcdoc`, or a
 *   `<script>`/`<style>` element, data renders as nothing;
 * - an attribute whose value data takes part in is judged whole, after substitution and as the
 *   browser decodes it, wherever the data sits in it (`{{scheme}}://{{host}}`, `java{{rest}}`):
 *   a URL attribute (`href`, `src`, ...) must hold an `http`, `https`, `mailto`, `tel` or `cid`
 *   URL, or a relative one, else it renders as `about:invalid`; a `style` attribute must hold no
 *   CSS escapes, `expression()`, `@import`, bindings or `url()` of another scheme, and the
 *   `content` of `<meta http-equiv="refresh">` no URL of another scheme, else they render empty.
 *   Such a value is bracketed with guard characters in the compiled text tokens, and the
 *   rendered source is checked between them (`resolveGuards`).
 */
import Mustache from "mustache";
import { Parser } from "htmlparser2";
import { decodeHTMLAttribute } from "entities";
import { TemplateLimitError } from "./errors.ts";
import { findIncludes, type IncludeCall, syntaxError } from "./include_parser.ts";

/** A mustache token: `[type, value, start, end, children?, ...]`. */
type MustacheToken = [string, string, number, number, MustacheToken[]?, ...unknown[]];

export interface MustacheContext {
  view: unknown;
  parent?: MustacheContext;
  lookup(name: string): unknown;
}

interface MustacheWriter {
  templateCache: unknown;
  parse(template: string): MustacheToken[];
  renderTokens(
    tokens: MustacheToken[],
    context: MustacheContext,
    partials: undefined,
    originalTemplate: string,
    config?: unknown,
  ): string;
  rawValue(token: MustacheToken): string;
}

/** The part of mustache.js (which ships no type declarations) this module uses. */
const mustache = Mustache as {
  Writer: new () => MustacheWriter;
  Context: new (view: unknown, parent?: MustacheContext) => MustacheContext;
  escape(value: string): string;
};

export function newContext(view: unknown, parent?: MustacheContext): MustacheContext {
  return new mustache.Context(view, parent);
}

export interface CompiledSource {
  readonly text: string;
  readonly tokens: MustacheToken[];
  readonly includes: IncludeCall[];
  /** Attribute values with data in them are bracketed by guards, checked after rendering. */
  readonly guarded: boolean;
}

/** Per compiled token: its include index, or that data renders as nothing there. */
const includeIndexOf = new WeakMap<MustacheToken, number>();
const blockedTokens = new WeakSet<MustacheToken>();

/** How a guarded attribute value is judged once rendered. */
type GuardKind = "url" | "url-list" | "css" | "refresh";
const GUARD_CODE: Record<GuardKind, string> = { url: "u", "url-list": "l", css: "c", refresh: "r" };
const GUARD_OPEN = "\uE010";
const GUARD_CLOSE = "\uE011";
const GUARDED_VALUE = /\uE010([ulcr])([^\uE010\uE011]*)\uE011/g;
const GUARD_CHARACTERS = /[\uE010\uE011]/g;
const HAS_GUARD_CHARACTER = /[\uE010\uE011]/;
/** A value that starts with a plain scheme: no entity or ignored character can change it. */
const PLAIN_SCHEME = /^([a-z][a-z0-9+.-]*):/i;

const PLACEHOLDER = "{{&xnovu_include}}";
const MARKER_OPEN = "\uE000";
const MARKER_CLOSE = "\uE001";
const MARKER = /\uE000(\d+)\uE001/g;
const HAS_MARKER = /\uE000\d+\uE001/;
const MARKERS_IN_TAG_NAME = /<\/?((?:\uE000\d+\uE001)+)/g;
const URL_ATTRIBUTES = new Set([
  "href",
  "src",
  "action",
  "formaction",
  "background",
  "poster",
  "cite",
  "longdesc",
  "xlink:href",
  "srcset",
  "data",
  "codebase",
  "manifest",
  "ping",
  "lowsrc",
  "dynsrc",
  "icon",
  "usemap",
  "classid",
  "archive",
]);
/** URL attributes that hold a list of URLs (separated by whitespace or commas). */
const URL_LIST_ATTRIBUTES = new Set(["srcset", "ping", "archive"]);
const HTML_ATTRIBUTES = new Set(["srcdoc"]);
const RAW_TEXT_ELEMENTS = new Set(["script", "style"]);
const SAFE_URL_SCHEMES = new Set(["http", "https", "mailto", "tel", "cid"]);
const URL_SCHEME = /^([^/?#]*?):/;
/** Browsers ignore these in URLs (C0 controls, space, and DEL/C1 controls). */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const URL_IGNORED_CHARACTERS = /[\u0000-\u0020\u007f-\u009f]/g;
export const UNSAFE_URL_REPLACEMENT = "about:invalid";
/** What a CSS value could run or fetch through, besides `url()` (checked separately). */
const UNSAFE_CSS =
  /\\|expression\s*\(|@import|-moz-binding|behaviou?r\s*:|javascript\s*:|vbscript\s*:/i;
const CSS_URL = /url\s*\(\s*(['"]?)([^'")]*)\1\s*\)/gi;
/** `<meta http-equiv="refresh" content="5; url=...">`: the URL after the delay. */
const REFRESH_URL = /^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(['"]?)(.*?)\1?\s*$/is;

const writerForParsing = new mustache.Writer();
// Compiled tokens are cached by the engine; mustache's own unbounded cache would only grow.
writerForParsing.templateCache = undefined;

/**
 * Deepest nesting of `{{#section}}`/`{{^inverted}}` blocks a template may have: each level
 * multiplies the work by the length of the list it iterates (README, "Limits").
 */
export const MAX_SECTION_DEPTH = 6;

function walk(
  tokens: MustacheToken[],
  visit: (token: MustacheToken, sectionDepth: number) => void,
  sectionDepth = 0,
): void {
  for (const token of tokens) {
    visit(token, sectionDepth);
    if (token[0] === "#" || token[0] === "^") walk(token[4] ?? [], visit, sectionDepth + 1);
  }
}

/** Source offset of an offset in the text where includes were replaced by placeholders. */
function sourceOffset(includes: IncludeCall[], textOffset: number): number {
  let shift = 0;
  for (const include of includes) {
    const placeholderStart = include.start + shift;
    if (textOffset < placeholderStart) break;
    if (textOffset < placeholderStart + PLACEHOLDER.length) return include.start;
    shift += PLACEHOLDER.length - (include.end - include.start);
  }
  return textOffset - shift;
}

function parseMustache(source: string, text: string, includes: IncludeCall[]): MustacheToken[] {
  try {
    return writerForParsing.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /(.*) at (\d+)$/.exec(message);
    const offset = at ? sourceOffset(includes, Number(at[2])) : 0;
    throw syntaxError(source, offset, at ? at[1] : message);
  }
}

/** A text token's span in the probe HTML, and the token list it belongs to. */
interface TextSpan {
  token: MustacheToken;
  list: MustacheToken[];
  start: number;
  end: number;
}

/** An attribute value with data in it, by its offsets in the probe HTML. */
interface GuardedValue {
  kind: GuardKind;
  start: number;
  end: number;
  value: string;
}

/** Where a value boundary falls in the text tokens: the outermost span for a start, innermost for an end. */
function spanAt(spans: TextSpan[], offset: number, edge: "start" | "end"): TextSpan | undefined {
  const candidates = spans.filter((span) => span.start <= offset && offset <= span.end);
  return edge === "start" ? candidates[0] : candidates.at(-1);
}

/**
 * Parses the HTML around each variable and include once: marks the variables data must never
 * fill, and brackets each attribute value data takes part in with guards (inserted into the
 * text tokens around it). Returns whether any value was guarded.
 */
function classifyVariables(tokens: MustacheToken[]): boolean {
  const placed: MustacheToken[] = [];
  const spans: TextSpan[] = [];
  let html = "";
  const probe = (list: MustacheToken[]) => {
    for (const token of list) {
      switch (token[0]) {
        case "text":
          // Guard characters are the engine's own; template text never carries them.
          token[1] = token[1].replace(GUARD_CHARACTERS, "");
          spans.push({ token, list, start: html.length, end: html.length + token[1].length });
          html += token[1];
          break;
        case "name":
        case "&":
          placed.push(token);
          html += `${MARKER_OPEN}${placed.length - 1}${MARKER_CLOSE}`;
          break;
        case "#":
        case "^":
          probe(token[4] ?? []);
          break;
      }
    }
  };
  probe(tokens);
  if (placed.length === 0) return false;

  const block = (text: string) => {
    for (const match of text.matchAll(MARKER)) {
      const token = placed[Number(match[1])];
      // An include is template text, not data: only variables are blocked.
      if (!includeIndexOf.has(token)) blockedTokens.add(token);
    }
  };
  for (const match of html.matchAll(MARKERS_IN_TAG_NAME)) block(match[1]);
  const openElements: string[] = [];
  const guarded: GuardedValue[] = [];
  let tagValues: Array<GuardedValue & { name: string }> = [];
  const parser: Parser = new Parser({
    onopentagname(name: string) {
      block(name);
      openElements.push(name.toLowerCase());
      tagValues = [];
    },
    onopentag(name: string, attributes: Record<string, string>) {
      const refresh = name === "meta" &&
        (attributes["http-equiv"] ?? "").trim().toLowerCase() === "refresh";
      for (const value of tagValues) {
        if (value.name !== "content") guarded.push(value);
        else if (refresh) guarded.push({ ...value, kind: "refresh" });
      }
      tagValues = [];
    },
    onclosetag() {
      openElements.pop();
    },
    onattribute(name: string, value: string, quote?: string | null) {
      block(name);
      const lowerName = name.toLowerCase();
      if (lowerName.startsWith("on") || HTML_ATTRIBUTES.has(lowerName)) {
        block(value);
        return;
      }
      if (!HAS_MARKER.test(value)) return;
      const kind: GuardKind | null = URL_LIST_ATTRIBUTES.has(lowerName)
        ? "url-list"
        : URL_ATTRIBUTES.has(lowerName)
        ? "url"
        : lowerName === "style"
        ? "css"
        : lowerName === "content"
        ? "refresh"
        : null;
      if (kind === null) return;
      // The value ends where the attribute does, before its closing quote.
      const attributeEnd = parser.endIndex + 1;
      const raw = html.slice(parser.startIndex, attributeEnd);
      const closing = quote ? raw.lastIndexOf(quote) : -1;
      const end = closing > 0
        ? parser.startIndex + closing
        : parser.startIndex + raw.indexOf(value, raw.indexOf("=") + 1) + value.length;
      tagValues.push({ name: lowerName, kind, start: end - value.length, end, value });
    },
    ontext(text: string) {
      if (RAW_TEXT_ELEMENTS.has(openElements.at(-1) ?? "")) block(text);
    },
  }, { decodeEntities: false, lowerCaseTags: true, recognizeSelfClosing: true });
  parser.write(html);
  parser.end();
  // Attributes of a tag the source never closes: no value to judge, so no data in it.
  for (const value of tagValues) block(value.value);

  const insertions = new Map<MustacheToken, Array<{ at: number; text: string }>>();
  let anyGuarded = false;
  for (const value of guarded) {
    const first = spanAt(spans, value.start, "start");
    const last = spanAt(spans, value.end, "end");
    if (first === undefined || last === undefined || first.list !== last.list) {
      // The value starts and ends in different sections: it cannot be judged whole, so data
      // stays out of it.
      block(value.value);
      continue;
    }
    const add = (span: TextSpan, at: number, text: string) => {
      const list = insertions.get(span.token) ?? [];
      list.push({ at: at - span.start, text });
      insertions.set(span.token, list);
    };
    add(first, value.start, GUARD_OPEN + GUARD_CODE[value.kind]);
    add(last, value.end, GUARD_CLOSE);
    anyGuarded = true;
  }
  for (const [token, list] of insertions) {
    // From the end, so earlier offsets stay valid; a close before an open at the same offset.
    list.sort((a, b) => b.at - a.at || (a.text === GUARD_CLOSE ? -1 : 1));
    for (const { at, text } of list) token[1] = token[1].slice(0, at) + text + token[1].slice(at);
  }
  return anyGuarded;
}

/**
 * Compiles a template source: finds its includes and parses it with mustache. Throws
 * `TemplateSyntaxError` (empty chain) on a malformed include or mustache tag.
 */
export function compileSource(source: string): CompiledSource {
  const includes = findIncludes(source);
  let text = "";
  let copied = 0;
  const placeholderOffsets = new Map<number, number>();
  includes.forEach((include, index) => {
    text += source.slice(copied, include.start);
    placeholderOffsets.set(text.length, index);
    text += PLACEHOLDER;
    copied = include.end;
  });
  text += source.slice(copied);

  const tokens = parseMustache(source, text, includes);
  const placed = new Set<number>();
  let tooDeep: MustacheToken | undefined;
  walk(tokens, (token, sectionDepth) => {
    if ((token[0] === "#" || token[0] === "^") && sectionDepth >= MAX_SECTION_DEPTH) {
      tooDeep ??= token;
    }
    const index = token[0] === "&" ? placeholderOffsets.get(token[2]) : undefined;
    if (index !== undefined) {
      includeIndexOf.set(token, index);
      placed.add(index);
    }
  });
  if (tooDeep) {
    throw syntaxError(
      source,
      sourceOffset(includes, tooDeep[2]),
      `sections nested deeper than ${MAX_SECTION_DEPTH} levels`,
    );
  }
  const lost = includes.find((_, index) => !placed.has(index));
  if (lost) {
    throw syntaxError(
      source,
      lost.start,
      "xnovu_render inside a mustache comment or after a delimiter change",
    );
  }
  const guarded = classifyVariables(tokens);
  return { text, tokens, includes, guarded };
}

/** Characters mustache's escape rewrites; most values have none, and testing is far cheaper. */
const NEEDS_ESCAPE = /[&<>"'`=/]/;

function isSafeUrl(value: string): boolean {
  const scheme = URL_SCHEME.exec(value.replace(URL_IGNORED_CHARACTERS, ""));
  return scheme === null || SAFE_URL_SCHEMES.has(scheme[1].toLowerCase());
}

/** The rendered value of a guarded attribute, or what replaces it when data made it unsafe. */
function judgeGuardedValue(code: string, raw: string): string {
  const plainScheme = code === "u" ? PLAIN_SCHEME.exec(raw) : null;
  if (plainScheme) {
    return SAFE_URL_SCHEMES.has(plainScheme[1].toLowerCase()) ? raw : UNSAFE_URL_REPLACEMENT;
  }
  // As the browser reads it: entities decoded (mustache escaped the data's own).
  const value = raw.includes("&") ? decodeHTMLAttribute(raw) : raw;
  switch (code) {
    case "u":
      return isSafeUrl(value) ? raw : UNSAFE_URL_REPLACEMENT;
    case "l":
      return value.split(/[\s,]+/).every(isSafeUrl) ? raw : UNSAFE_URL_REPLACEMENT;
    case "c": {
      const unsafe = UNSAFE_CSS.test(value.replace(URL_IGNORED_CHARACTERS, "")) ||
        [...value.matchAll(CSS_URL)].some((match) => !isSafeUrl(match[2]));
      return unsafe ? "" : raw;
    }
    default: {
      const url = REFRESH_URL.exec(value)?.[2] ?? value;
      return isSafeUrl(url) ? raw : "";
    }
  }
}

/** Replaces every guarded attribute value of a rendered source by its judged value. */
function resolveGuards(rendered: string): string {
  return rendered.replace(
    GUARDED_VALUE,
    (_all, code: string, raw: string) => judgeGuardedValue(code, raw),
  );
}

function variableValue(token: MustacheToken, context: MustacheContext): string | undefined {
  const value = context.lookup(token[1]);
  if (value == null || blockedTokens.has(token)) return undefined;
  // Data never carries guard characters: it could otherwise open or close a guarded value.
  let text = String(value);
  if (HAS_GUARD_CHARACTER.test(text)) text = text.replace(GUARD_CHARACTERS, "");
  return NEEDS_ESCAPE.test(text) ? mustache.escape(text) : text;
}

/** Largest rendered output of one render, in characters, and its time budget (README, "Limits"). */
export const MAX_RENDERED_CHARS = 524_288;
export const RENDER_TIME_BUDGET_MS = 100;

/** How many section iterations pass between two looks at the clock. */
const CLOCK_CHECK_INTERVAL = 64;

/**
 * The bounds of one render (a subject and body with all their includes): characters emitted
 * and a deadline. A render that passes either stops with `TemplateLimitError` instead of
 * growing without end or holding the thread every other request waits on.
 */
export class RenderBudget {
  private emitted = 0;
  private iterations = 0;
  private readonly deadline: number;

  constructor(
    private readonly now: () => number,
    private readonly maxChars = MAX_RENDERED_CHARS,
    private readonly maxMs = RENDER_TIME_BUDGET_MS,
  ) {
    this.deadline = now() + maxMs;
  }

  charge(characters: number): void {
    this.emitted += characters;
    if (this.emitted > this.maxChars) {
      throw new TemplateLimitError(`rendered output exceeds ${this.maxChars} characters`);
    }
  }

  tick(): void {
    if (++this.iterations % CLOCK_CHECK_INTERVAL === 0 && this.now() > this.deadline) {
      throw new TemplateLimitError(`rendering took longer than ${this.maxMs} ms`);
    }
  }
}

/** Renders the include at `index` of the source being rendered, in the given context. */
export type IncludeRenderer = (index: number, context: MustacheContext) => string;

/**
 * mustache's writer with escaping forced on every variable, include placeholders rendered
 * through the current `IncludeRenderer`, and every emitted character and section iteration
 * charged to the current `RenderBudget`. Rendering is synchronous, so one writer serves nested
 * includes by saving and restoring the current renderer and budget.
 */
class TemplateWriter extends mustache.Writer {
  private renderInclude: IncludeRenderer = () => "";
  private budget = new RenderBudget(() => 0, Infinity, Infinity);

  constructor() {
    super();
    this.templateCache = undefined;
  }

  render(
    compiled: CompiledSource,
    context: MustacheContext,
    includes: IncludeRenderer,
    budget: RenderBudget,
  ): string {
    const outer = { renderInclude: this.renderInclude, budget: this.budget };
    this.renderInclude = includes;
    this.budget = budget;
    try {
      const rendered = this.renderTokens(compiled.tokens, context, undefined, compiled.text);
      return compiled.guarded ? resolveGuards(rendered) : rendered;
    } finally {
      this.renderInclude = outer.renderInclude;
      this.budget = outer.budget;
    }
  }

  override renderTokens(
    tokens: MustacheToken[],
    context: MustacheContext,
    partials: undefined,
    originalTemplate: string,
    config?: unknown,
  ): string {
    this.budget.tick();
    return super.renderTokens(tokens, context, partials, originalTemplate, config);
  }

  override rawValue(token: MustacheToken): string {
    this.budget.charge(token[1].length);
    return token[1];
  }

  escapedValue(token: MustacheToken, context: MustacheContext): string | undefined {
    return this.charged(variableValue(token, context));
  }

  unescapedValue(token: MustacheToken, context: MustacheContext): string | undefined {
    const index = includeIndexOf.get(token);
    // An include's output was charged while it rendered.
    return index === undefined
      ? this.charged(variableValue(token, context))
      : this.renderInclude(index, context);
  }

  private charged(value: string | undefined): string | undefined {
    if (value !== undefined) this.budget.charge(value.length);
    return value;
  }
}

const writer = new TemplateWriter();

export function renderCompiled(
  compiled: CompiledSource,
  context: MustacheContext,
  includes: IncludeRenderer,
  budget: RenderBudget,
): string {
  return writer.render(compiled, context, includes, budget);
}
