import {
  type CompiledSource,
  compileSource,
  type MustacheContext,
  newContext,
  RENDER_TIME_BUDGET_MS,
  RenderBudget,
  renderCompiled,
} from "./compile.ts";
import { finishBody, smsSegments, toPlainText } from "./channels.ts";
import {
  prependChain,
  TemplateCycleError,
  TemplateDepthError,
  TemplateError,
  TemplateNotFoundError,
  TemplateSyntaxError,
} from "./errors.ts";
import type { IncludeCall } from "./include_parser.ts";
import type { Channel } from "../channels.ts";
import type {
  InvalidateSelector,
  RenderInlineRequest,
  RenderResult,
  RenderStoredRequest,
  TemplateLoader,
  TemplateRecord,
  TemplateRef,
  TemplateVariables,
} from "./types.ts";

export const DEFAULT_MAX_DEPTH = 10;
export const DEFAULT_CACHE_TTL_MS = 1000;
export const INLINE_TEMPLATE_LABEL = "(inline)";

export interface TemplateEngineOptions {
  loader: TemplateLoader;
  /** Deepest include level allowed below the template a render starts from (default 10). */
  maxDepth?: number;
  /** How long a resolved template graph is served without asking the loader (default 1000). */
  cacheTtlMs?: number;
  /** Milliseconds clock (default `Date.now`); also times each render against its budget. */
  now?: () => number;
  /** Time budget of one render in milliseconds (default `RENDER_TIME_BUDGET_MS`). */
  renderBudgetMs?: number;
}

export interface TemplateEngine {
  /** Renders a stored template, looked up through the loader. Rejects with a `TemplateError`. */
  render(request: RenderStoredRequest): Promise<RenderResult>;
  /** Renders a template given in the request; its includes are looked up through the loader. */
  renderInline(request: RenderInlineRequest): Promise<RenderResult>;
  /** Drops cached entries that depend on a changed row (see `InvalidateSelector`). */
  invalidate(selector: InvalidateSelector): void;
  /** Drops everything cached. */
  clear(): void;
}

/** A row, compiled once per `updated_at`. The subject is compiled only where it is rendered. */
interface CompiledRow {
  record: TemplateRecord;
  /** `record.updated_at` when compiled (kept apart: a loader may hand back the same object). */
  updatedAt: string;
  label: string;
  body: CompiledSource;
  subject?: CompiledSource | null;
  defaults: TemplateVariables;
}

/** A template with its includes resolved, in the order of `CompiledSource.includes`. */
interface ResolvedNode {
  row: CompiledRow;
  subject: CompiledSource | null;
  subjectIncludes: ResolvedNode[];
  bodyIncludes: ResolvedNode[];
}

/** What a render starts from: a resolved stored template or an inline one. */
interface RenderRoot {
  defaults: TemplateVariables;
  body: CompiledSource;
  bodyIncludes: ResolvedNode[];
  subject: CompiledSource | null;
  subjectIncludes: ResolvedNode[];
}

/**
 * `full` resolves the root's subject too (a render of a stored template); `body` only its body
 * (a template included by an inline one).
 */
type GraphScope = "full" | "body";

/** Everything one render needs, cached per (enterprise, channel, root ref, scope). */
interface TemplateGraph {
  root: ResolvedNode;
  channel: Channel;
  enterpriseId: string;
  expiresAt: number;
  ids: Set<number>;
  keys: Set<string>;
  templatesUsed: string[];
  /** Include levels below the root, and the chain to the deepest template. */
  height: number;
  deepestChain: string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    if (!isPlainObject(node[segment])) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/**
 * Defaults of a template from its `variables_description`: an object whose keys are variable
 * names (dotted names set nested values) and whose values are either `{ "default": <value>,
 * ...other fields such as "description" }` or a plain value taken as the default itself. An
 * object without `default` only describes the variable.
 */
export function defaultsFromDescription(description: unknown): TemplateVariables {
  const defaults: TemplateVariables = {};
  if (!isPlainObject(description)) return defaults;
  for (const [name, spec] of Object.entries(description)) {
    if (isPlainObject(spec)) {
      if ("default" in spec) setPath(defaults, name.split("."), spec.default);
    } else if (spec !== null) {
      setPath(defaults, name.split("."), spec);
    }
  }
  return defaults;
}

function labelOf(record: TemplateRecord): string {
  return record.template_key ?? `#${record.id}`;
}

function refLabel(ref: TemplateRef): string {
  return "key" in ref ? ref.key : `#${ref.id}`;
}

function refCacheKey(ref: TemplateRef): string {
  return "key" in ref ? `key:${ref.key}` : `id:${ref.id}`;
}

function compileWithChain(source: string, chain: string[]): CompiledSource {
  try {
    return compileSource(source);
  } catch (error) {
    throw error instanceof TemplateSyntaxError ? error.withChain(chain) : error;
  }
}

/**
 * The context an include renders in: its arguments, over the caller's data (every context
 * level except the caller's own defaults), over the included template's defaults. Arguments
 * that resolve to nothing are left out so the lower levels can supply them.
 */
function includeContext(
  call: IncludeCall,
  child: CompiledRow,
  caller: MustacheContext,
): MustacheContext {
  const callerViews: unknown[] = [];
  for (let level: MustacheContext | undefined = caller; level?.parent; level = level.parent) {
    callerViews.push(level.view);
  }
  let context = newContext(child.defaults);
  for (let index = callerViews.length - 1; index >= 0; index--) {
    context = newContext(callerViews[index], context);
  }
  if (call.args.length === 0) return context;
  const args: TemplateVariables = {};
  for (const { name, value } of call.args) {
    const resolved = value.kind === "literal" ? value.value : caller.lookup(value.path);
    if (resolved != null) args[name] = resolved;
  }
  return newContext(args, context);
}

function renderSource(
  compiled: CompiledSource,
  includes: ResolvedNode[],
  context: MustacheContext,
  budget: RenderBudget,
): string {
  return renderCompiled(compiled, context, (index, caller) => {
    const child = includes[index];
    return renderSource(
      child.row.body,
      child.bodyIncludes,
      includeContext(compiled.includes[index], child.row, caller),
      budget,
    );
  }, budget);
}

/** Body and subject share one `RenderBudget`. */
function renderRoot(
  root: RenderRoot,
  channel: Channel,
  variables: TemplateVariables | undefined,
  templatesUsed: string[],
  budget: RenderBudget,
): RenderResult {
  const context = newContext(variables ?? {}, newContext(root.defaults));
  const body = finishBody(channel, renderSource(root.body, root.bodyIncludes, context, budget));
  const result: RenderResult = { channel, body, templatesUsed };
  if (root.subject) {
    result.subject = toPlainText(
      renderSource(root.subject, root.subjectIncludes, context, budget),
    );
  }
  if (channel === "SMS") {
    const { segments, encoding } = smsSegments(body);
    result.smsSegments = segments;
    result.smsEncoding = encoding;
  }
  return result;
}

/** Collects what a graph depends on while it is resolved. */
class GraphBuilder {
  readonly ids = new Set<number>();
  readonly keys = new Set<string>();
  readonly templatesUsed: string[] = [];
  height = 0;
  deepestChain: string[] = [];
  private readonly loads = new Map<string, Promise<TemplateRecord | null>>();

  constructor(readonly loader: TemplateLoader, readonly enterpriseId: string) {}

  /** Each ref is loaded once per resolution, however often it is included. */
  load(ref: TemplateRef, channel: Channel | undefined): Promise<TemplateRecord | null> {
    const key = `${channel ?? "*"}|${refCacheKey(ref)}`;
    let pending = this.loads.get(key);
    if (!pending) {
      pending = this.loader(ref, { enterpriseId: this.enterpriseId, channel });
      this.loads.set(key, pending);
    }
    return pending;
  }

  track(row: CompiledRow, chain: string[]): void {
    this.ids.add(row.record.id);
    if (row.record.template_key !== null) this.keys.add(row.record.template_key);
    if (!this.templatesUsed.includes(row.label)) this.templatesUsed.push(row.label);
    if (chain.length - 1 > this.height || this.deepestChain.length === 0) {
      this.height = chain.length - 1;
      this.deepestChain = chain;
    }
  }
}

class CachingTemplateEngine implements TemplateEngine {
  private readonly loader: TemplateLoader;
  private readonly maxDepth: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly renderBudgetMs: number;
  private readonly rows = new Map<number, CompiledRow>();
  private readonly graphs = new Map<string, TemplateGraph>();
  private readonly pending = new Map<string, Promise<TemplateGraph>>();
  /** Bumped by every invalidation, so a load that started before it is not cached. */
  private generation = 0;

  constructor(options: TemplateEngineOptions) {
    this.loader = options.loader;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.ttlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.now = options.now ?? Date.now;
    this.renderBudgetMs = options.renderBudgetMs ?? RENDER_TIME_BUDGET_MS;
  }

  private newBudget(): RenderBudget {
    return new RenderBudget(this.now, undefined, this.renderBudgetMs);
  }

  render(request: RenderStoredRequest): Promise<RenderResult> {
    const { enterpriseId, template, channel, variables } = request;
    const cached = this.cachedGraph(this.graphKey(enterpriseId, channel, template, "full"));
    if (cached) {
      try {
        return Promise.resolve(this.renderGraph(cached, variables));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.graph(enterpriseId, channel, template, "full").then((graph) =>
      this.renderGraph(graph, variables)
    );
  }

  async renderInline(request: RenderInlineRequest): Promise<RenderResult> {
    const { enterpriseId, template, variables } = request;
    const chain = [INLINE_TEMPLATE_LABEL];
    const body = compileWithChain(template.body, chain);
    const subject = template.subject ? compileWithChain(template.subject, chain) : null;
    const templatesUsed: string[] = [];
    const resolveIncludes = async (compiled: CompiledSource) => {
      const nodes: ResolvedNode[] = [];
      for (const include of compiled.includes) {
        const graph = await this.graph(enterpriseId, undefined, include.ref, "body").catch((
          error,
        ) => {
          throw error instanceof TemplateError ? prependChain(error, chain) : error;
        });
        if (graph.height + 1 > this.maxDepth) {
          throw new TemplateDepthError(this.maxDepth, [...chain, ...graph.deepestChain]);
        }
        for (const label of graph.templatesUsed) {
          if (!templatesUsed.includes(label)) templatesUsed.push(label);
        }
        nodes.push(graph.root);
      }
      return nodes;
    };
    const root: RenderRoot = {
      defaults: defaultsFromDescription(template.variablesDescription),
      body,
      subject,
      subjectIncludes: subject ? await resolveIncludes(subject) : [],
      bodyIncludes: await resolveIncludes(body),
    };
    return renderRoot(root, template.channel, variables, templatesUsed, this.newBudget());
  }

  invalidate(selector: InvalidateSelector): void {
    this.generation++;
    const anyRow = selector.id === undefined && selector.key === undefined;
    const dependsOnRow = (ids: Set<number>, keys: Set<string>) =>
      anyRow || (selector.id !== undefined && ids.has(selector.id)) ||
      (selector.key !== undefined && keys.has(selector.key));
    for (const [cacheKey, graph] of this.graphs) {
      const inEnterprise = selector.enterpriseId == null ||
        graph.enterpriseId === selector.enterpriseId;
      if (inEnterprise && dependsOnRow(graph.ids, graph.keys)) this.graphs.delete(cacheKey);
    }
    if (anyRow) return;
    for (const [id, row] of this.rows) {
      const key = row.record.template_key;
      if (dependsOnRow(new Set([id]), new Set(key === null ? [] : [key]))) this.rows.delete(id);
    }
  }

  clear(): void {
    this.generation++;
    this.graphs.clear();
    this.rows.clear();
  }

  private renderGraph(graph: TemplateGraph, variables?: TemplateVariables): RenderResult {
    const { row, subject, subjectIncludes, bodyIncludes } = graph.root;
    return renderRoot(
      { defaults: row.defaults, body: row.body, bodyIncludes, subject, subjectIncludes },
      graph.channel,
      variables,
      [...graph.templatesUsed],
      this.newBudget(),
    );
  }

  private graphKey(
    enterpriseId: string,
    channel: Channel | undefined,
    ref: TemplateRef,
    scope: GraphScope,
  ): string {
    return `${enterpriseId}|${channel ?? "*"}|${refCacheKey(ref)}|${scope}`;
  }

  private cachedGraph(cacheKey: string): TemplateGraph | undefined {
    const graph = this.graphs.get(cacheKey);
    if (graph && graph.expiresAt > this.now()) return graph;
    return undefined;
  }

  /** The cached graph, or a new resolution shared by concurrent callers. */
  private graph(
    enterpriseId: string,
    channel: Channel | undefined,
    ref: TemplateRef,
    scope: GraphScope,
  ): Promise<TemplateGraph> {
    const cacheKey = this.graphKey(enterpriseId, channel, ref, scope);
    const cached = this.cachedGraph(cacheKey);
    if (cached) return Promise.resolve(cached);
    let pending = this.pending.get(cacheKey);
    if (!pending) {
      const generation = this.generation;
      pending = this.resolveGraph(enterpriseId, channel, ref, scope).then((graph) => {
        if (generation === this.generation) this.graphs.set(cacheKey, graph);
        return graph;
      }).finally(() => this.pending.delete(cacheKey));
      this.pending.set(cacheKey, pending);
    }
    return pending;
  }

  private async resolveGraph(
    enterpriseId: string,
    channel: Channel | undefined,
    ref: TemplateRef,
    scope: GraphScope,
  ): Promise<TemplateGraph> {
    const builder = new GraphBuilder(this.loader, enterpriseId);
    const root = await this.resolveNode(builder, ref, channel, [], scope === "full");
    return {
      root,
      channel: root.row.record.channel_type,
      enterpriseId,
      expiresAt: this.now() + this.ttlMs,
      ids: builder.ids,
      keys: builder.keys,
      templatesUsed: builder.templatesUsed,
      height: builder.height,
      deepestChain: builder.deepestChain,
    };
  }

  private async resolveNode(
    builder: GraphBuilder,
    ref: TemplateRef,
    channel: Channel | undefined,
    ancestors: CompiledRow[],
    withSubject = false,
  ): Promise<ResolvedNode> {
    const ancestorLabels = ancestors.map((ancestor) => ancestor.label);
    const record = await builder.load(ref, channel);
    if (!record) throw new TemplateNotFoundError(refLabel(ref), [...ancestorLabels, refLabel(ref)]);
    const chain = [...ancestorLabels, labelOf(record)];
    if (ancestors.some((ancestor) => ancestor.record.id === record.id)) {
      throw new TemplateCycleError(chain);
    }
    if (ancestors.length > this.maxDepth) throw new TemplateDepthError(this.maxDepth, chain);

    const row = this.compiledRow(record, chain);
    builder.track(row, chain);
    const subject = withSubject ? this.compiledSubject(row, chain) : null;
    const lineage = [...ancestors, row];
    const resolveAll = async (includes: IncludeCall[]) => {
      const nodes: ResolvedNode[] = [];
      for (const include of includes) {
        nodes.push(await this.resolveNode(builder, include.ref, undefined, lineage));
      }
      return nodes;
    };
    return {
      row,
      subject,
      subjectIncludes: subject ? await resolveAll(subject.includes) : [],
      bodyIncludes: await resolveAll(row.body.includes),
    };
  }

  /** Reuses the compiled row unless the loader returned a row with another `updated_at`. */
  private compiledRow(record: TemplateRecord, chain: string[]): CompiledRow {
    const cached = this.rows.get(record.id);
    if (cached && cached.updatedAt === record.updated_at) return cached;
    const row: CompiledRow = {
      record,
      updatedAt: record.updated_at,
      label: labelOf(record),
      body: compileWithChain(record.body_template, chain),
      defaults: defaultsFromDescription(record.variables_description),
    };
    this.rows.set(record.id, row);
    return row;
  }

  private compiledSubject(row: CompiledRow, chain: string[]): CompiledSource | null {
    if (row.subject === undefined) {
      const source = row.record.subject_template;
      row.subject = source ? compileWithChain(source, chain) : null;
    }
    return row.subject;
  }
}

export function createTemplateEngine(options: TemplateEngineOptions): TemplateEngine {
  return new CachingTemplateEngine(options);
}
