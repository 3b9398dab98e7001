/** Machine-readable error codes, stable for callers (e.g. `error_details`, HTTP bodies). */
export type TemplateErrorCode =
  | "TEMPLATE_NOT_FOUND"
  | "TEMPLATE_CYCLE"
  | "TEMPLATE_DEPTH_EXCEEDED"
  | "TEMPLATE_SYNTAX"
  | "TEMPLATE_LIMIT_EXCEEDED";

/** Separator used when a template chain is shown in a message. */
export const CHAIN_SEPARATOR = " → ";

/**
 * Base of every engine error. `chain` lists the templates from the one the render started
 * from to the one that failed (template keys, `#<id>` without a key, `(inline)` for an inline
 * template). Errors are always thrown, never rendered into output.
 */
export class TemplateError extends Error {
  readonly code: TemplateErrorCode;
  readonly chain: string[];

  constructor(code: TemplateErrorCode, message: string, chain: string[]) {
    super(chain.length > 0 ? `${message} (chain: ${chain.join(CHAIN_SEPARATOR)})` : message);
    this.name = new.target.name;
    this.code = code;
    this.chain = chain;
  }
}

export class TemplateNotFoundError extends TemplateError {
  constructor(readonly ref: string, chain: string[]) {
    super("TEMPLATE_NOT_FOUND", `template ${ref} not found`, chain);
  }
}

export class TemplateCycleError extends TemplateError {
  constructor(chain: string[]) {
    super("TEMPLATE_CYCLE", "templates include each other in a cycle", chain);
  }
}

export class TemplateDepthError extends TemplateError {
  constructor(readonly maxDepth: number, chain: string[]) {
    super(
      "TEMPLATE_DEPTH_EXCEEDED",
      `templates are nested deeper than the limit of ${maxDepth}`,
      chain,
    );
  }
}

export class TemplateSyntaxError extends TemplateError {
  /** `offset` is a 0-based index into the template source; `line` and `column` are 1-based. */
  constructor(
    readonly detail: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    chain: string[] = [],
  ) {
    super("TEMPLATE_SYNTAX", `${detail} at line ${line}, column ${column}`, chain);
  }

  /** The same error, attributed to a template chain. */
  withChain(chain: string[]): TemplateSyntaxError {
    return new TemplateSyntaxError(this.detail, this.offset, this.line, this.column, chain);
  }
}

/**
 * A render that passed one of its bounds (rendered size, time, SMS length; README, "Limits"):
 * it stops at once and fails like any template error, never delivering a partial message.
 */
export class TemplateLimitError extends TemplateError {
  constructor(readonly detail: string, chain: string[] = []) {
    super("TEMPLATE_LIMIT_EXCEEDED", detail, chain);
  }
}

/** The same error with `labels` put in front of its chain (e.g. the inline template). */
export function prependChain(error: TemplateError, labels: string[]): TemplateError {
  const chain = [...labels, ...error.chain];
  if (error instanceof TemplateNotFoundError) return new TemplateNotFoundError(error.ref, chain);
  if (error instanceof TemplateCycleError) return new TemplateCycleError(chain);
  if (error instanceof TemplateDepthError) return new TemplateDepthError(error.maxDepth, chain);
  if (error instanceof TemplateSyntaxError) return error.withChain(chain);
  if (error instanceof TemplateLimitError) return new TemplateLimitError(error.detail, chain);
  return error;
}
