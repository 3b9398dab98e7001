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
 * find variables whose escaping is not enough: at the start of a URL attribute (`href`, `src`,
 * ...) a value must be an `http`, `https`, `mailto`, `tel` or `cid` URL, or a relative one, else it
 * renders as `about:invalid`; inside an event handler attribute, an attribute or tag name,
 * `srcdoc`, or a `<script>`/`<style>` element, data renders as nothing.
 */
import Mustache from "mustache";
import { Parser } from "htmlparser2";
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

type VariableKind = "url" | "blocked";

export interface CompiledSource {
  readonly text: string;
  readonly tokens: MustacheToken[];
  readonly includes: IncludeCall[];
}

/** Per compiled token: its include index, or how its value must be treated. */
const includeIndexOf = new WeakMap<MustacheToken, number>();
const variableKindOf = new WeakMap<MustacheToken, VariableKind>();

const PLACEHOLDER = "{{&xnovu_include}}";
const MARKER_OPEN = "\uE000";
const MARKER_CLOSE = "\uE001";
const MARKER = /\uE000(\d+)\uE001/g;
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
const HTML_ATTRIBUTES = new Set(["srcdoc"]);
const RAW_TEXT_ELEMENTS = new Set(["script", "style"]);
const SAFE_URL_SCHEMES = new Set(["http", "https", "mailto", "tel", "cid"]);
const URL_SCHEME = /^([^/?#]*?):/;
/** Browsers ignore these in URLs (C0 controls, space, and DEL/C1 controls). */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const URL_IGNORED_CHARACTERS = /[\u0000-\u0020\u007f-\u009f]/g;
export const UNSAFE_URL_REPLACEMENT = "about:invalid";

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

/** Parses the HTML around each variable once, to classify the variables escaping cannot cover. */
function classifyVariables(tokens: MustacheToken[]): void {
  const variables: MustacheToken[] = [];
  const probe = (list: MustacheToken[]): string =>
    list.map((token) => {
      switch (token[0]) {
        case "text":
          return token[1];
        case "name":
        case "&":
          if (includeIndexOf.has(token)) return "";
          variables.push(token);
          return `${MARKER_OPEN}${variables.length - 1}${MARKER_CLOSE}`;
        case "#":
        case "^":
          return probe(token[4] ?? []);
        default:
          return "";
      }
    }).join("");
  const html = probe(tokens);
  if (variables.length === 0) return;

  const mark = (text: string, kind: VariableKind) => {
    for (const match of text.matchAll(MARKER)) {
      variableKindOf.set(variables[Number(match[1])], kind);
    }
  };
  for (const match of html.matchAll(MARKERS_IN_TAG_NAME)) mark(match[1], "blocked");
  const openElements: string[] = [];
  const parser = new Parser({
    onopentagname(name: string) {
      mark(name, "blocked");
      openElements.push(name.toLowerCase());
    },
    onclosetag() {
      openElements.pop();
    },
    onattribute(name: string, value: string) {
      mark(name, "blocked");
      const lowerName = name.toLowerCase();
      if (lowerName.startsWith("on") || HTML_ATTRIBUTES.has(lowerName)) {
        mark(value, "blocked");
      } else if (URL_ATTRIBUTES.has(lowerName)) {
        // Only data at the start of the URL can choose its scheme; later data is escaped text.
        const leading = /^(?:\s|\uE000\d+\uE001)*/.exec(value)?.[0] ?? "";
        mark(leading, "url");
      }
    },
    ontext(text: string) {
      if (RAW_TEXT_ELEMENTS.has(openElements.at(-1) ?? "")) mark(text, "blocked");
    },
  }, { decodeEntities: false, lowerCaseTags: true, recognizeSelfClosing: true });
  parser.write(html);
  parser.end();
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
  classifyVariables(tokens);
  return { text, tokens, includes };
}

/** Characters mustache's escape rewrites; most values have none, and testing is far cheaper. */
const NEEDS_ESCAPE = /[&<>"'`=/]/;

function isSafeUrlStart(value: string): boolean {
  const scheme = URL_SCHEME.exec(value.replace(URL_IGNORED_CHARACTERS, ""));
  return scheme === null || SAFE_URL_SCHEMES.has(scheme[1].toLowerCase());
}

function variableValue(token: MustacheToken, context: MustacheContext): string | undefined {
  const value = context.lookup(token[1]);
  if (value == null) return undefined;
  const kind = variableKindOf.get(token);
  if (kind === "blocked") return undefined;
  const text = String(value);
  if (kind === "url" && !isSafeUrlStart(text)) return UNSAFE_URL_REPLACEMENT;
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
      return this.renderTokens(compiled.tokens, context, undefined, compiled.text);
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
