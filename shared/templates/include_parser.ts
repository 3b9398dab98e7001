/**
 * Parser of the include tag `{{ xnovu_render('<key or id>', { name: 'literal', n: 3, other: a.b }) }}`.
 *
 * Grammar (whitespace allowed between all tokens):
 *
 *     include  = "{{" "xnovu_render" "(" ref [ "," [ object ] ] ")" "}}"
 *     ref      = string | integer
 *     object   = "{" [ entry { "," entry } [ "," ] ] "}"
 *     entry    = ( identifier | string ) ":" value
 *     value    = string | number | "true" | "false" | path
 *     path     = identifier { "." ( identifier | digits ) }
 *     string   = "'" ... "'" | '"' ... '"'   (backslash escapes: \\ \' \" \n \r \t; any
 *                                              other escaped character stands for itself)
 *
 * A ref that is an integer, or a string of digits only (as in the seeds' `'12345'`), names a
 * template by id; any other string names it by `template_key`.
 */
import { TemplateSyntaxError } from "./errors.ts";
import type { TemplateRef } from "./types.ts";

export type IncludeArgument =
  | { kind: "literal"; value: string | number | boolean }
  | { kind: "path"; path: string };

export interface IncludeCall {
  ref: TemplateRef;
  /** In source order; keys are unique. */
  args: Array<{ name: string; value: IncludeArgument }>;
  /** Offsets of the whole tag in the source: `source.slice(start, end)` is the tag. */
  start: number;
  end: number;
}

const INCLUDE_FUNCTION = "xnovu_render";
const IDENTIFIER_START = /[A-Za-z_$]/;
const IDENTIFIER_PART = /[A-Za-z0-9_$]/;
const WHITESPACE = /\s/;
const DIGITS_ONLY = /^[0-9]+$/;
const STRING_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t" };

type Token =
  | { type: "punct"; value: "(" | ")" | "{" | "}" | "," | ":"; start: number }
  | { type: "string"; value: string; start: number }
  | { type: "number"; value: number; text: string; start: number }
  | { type: "word"; value: string; start: number }
  | { type: "end"; start: number };

function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset; index++) {
    if (source[index] === "\n") {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function syntaxError(source: string, offset: number, detail: string): TemplateSyntaxError {
  const { line, column } = positionOf(source, offset);
  return new TemplateSyntaxError(detail, offset, line, column);
}

/** Tokenizer + recursive-descent parser for one include tag, starting after its `{{`. */
class IncludeTagParser {
  private position: number;
  private lookahead: Token;

  constructor(private readonly source: string, start: number) {
    this.position = start;
    this.lookahead = this.scan();
  }

  /** Parses `xnovu_render(...) }}` and returns the call plus the offset just after `}}`. */
  parseTag(tagStart: number): IncludeCall {
    this.expectWord(INCLUDE_FUNCTION);
    this.expectPunct("(");
    const ref = this.parseRef();
    let args: IncludeCall["args"] = [];
    if (this.isPunct(",")) {
      this.advance();
      if (this.isPunct("{")) args = this.parseObject();
    }
    this.expectPunct(")");
    const end = this.expectClosingBraces();
    return { ref, args, start: tagStart, end };
  }

  private parseRef(): TemplateRef {
    const token = this.lookahead;
    if (token.type === "string") {
      this.advance();
      if (token.value.trim() === "") throw this.error(token.start, "empty template reference");
      return DIGITS_ONLY.test(token.value) ? { id: Number(token.value) } : { key: token.value };
    }
    if (token.type === "number" && Number.isSafeInteger(token.value) && token.value > 0) {
      this.advance();
      return { id: token.value };
    }
    throw this.error(token.start, "expected a quoted template key or a positive integer id");
  }

  private parseObject(): IncludeCall["args"] {
    this.expectPunct("{");
    const args: IncludeCall["args"] = [];
    const seen = new Set<string>();
    while (!this.isPunct("}")) {
      const keyToken = this.lookahead;
      let name: string;
      if (keyToken.type === "string") name = keyToken.value;
      else if (keyToken.type === "word" && !keyToken.value.includes(".")) name = keyToken.value;
      else throw this.error(keyToken.start, "expected an argument name");
      if (seen.has(name)) throw this.error(keyToken.start, `duplicate argument "${name}"`);
      seen.add(name);
      this.advance();
      this.expectPunct(":");
      args.push({ name, value: this.parseValue() });
      if (!this.isPunct(",")) break;
      this.advance();
    }
    this.expectPunct("}");
    return args;
  }

  private parseValue(): IncludeArgument {
    const token = this.lookahead;
    this.advance();
    switch (token.type) {
      case "string":
      case "number":
        return { kind: "literal", value: token.value };
      case "word":
        if (token.value === "true" || token.value === "false") {
          return { kind: "literal", value: token.value === "true" };
        }
        return { kind: "path", path: token.value };
      default:
        throw this.error(token.start, "expected a string, number, boolean or variable name");
    }
  }

  private expectClosingBraces(): number {
    const first = this.lookahead;
    if (first.type === "punct" && first.value === "}" && this.source[first.start + 1] === "}") {
      return first.start + 2;
    }
    throw this.error(first.start, `expected "}}" to close the ${INCLUDE_FUNCTION} tag`);
  }

  private isPunct(value: string): boolean {
    return this.lookahead.type === "punct" && this.lookahead.value === value;
  }

  private expectPunct(value: string): void {
    if (!this.isPunct(value)) throw this.error(this.lookahead.start, `expected "${value}"`);
    this.advance();
  }

  private expectWord(value: string): void {
    const token = this.lookahead;
    if (token.type !== "word" || token.value !== value) {
      throw this.error(token.start, `expected "${value}"`);
    }
    this.advance();
  }

  private advance(): void {
    this.lookahead = this.scan();
  }

  private error(offset: number, detail: string): TemplateSyntaxError {
    return syntaxError(this.source, offset, `malformed ${INCLUDE_FUNCTION}: ${detail}`);
  }

  private scan(): Token {
    const source = this.source;
    while (this.position < source.length && WHITESPACE.test(source[this.position])) {
      this.position++;
    }
    const start = this.position;
    if (start >= source.length) return { type: "end", start };
    const char = source[start];
    if ("(){},:".includes(char)) {
      this.position++;
      return { type: "punct", value: char as "(" | ")" | "{" | "}" | "," | ":", start };
    }
    if (char === "'" || char === '"') return this.scanString(char, start);
    if (char === "-" || (char >= "0" && char <= "9")) return this.scanNumber(start);
    if (IDENTIFIER_START.test(char)) return this.scanWord(start);
    throw this.error(start, `unexpected character "${char}"`);
  }

  private scanString(quote: string, start: number): Token {
    const source = this.source;
    let value = "";
    let index = start + 1;
    while (index < source.length && source[index] !== quote) {
      if (source[index] === "\\" && index + 1 < source.length) {
        const escaped = source[index + 1];
        value += STRING_ESCAPES[escaped] ?? escaped;
        index += 2;
      } else {
        value += source[index];
        index++;
      }
    }
    if (index >= source.length) throw this.error(start, "unterminated string");
    this.position = index + 1;
    return { type: "string", value, start };
  }

  private scanNumber(start: number): Token {
    const match = /^-?[0-9]+(\.[0-9]+)?/.exec(this.source.slice(start, start + 64));
    if (!match) throw this.error(start, "malformed number");
    this.position = start + match[0].length;
    if (this.position < this.source.length && IDENTIFIER_PART.test(this.source[this.position])) {
      throw this.error(start, "malformed number");
    }
    return { type: "number", value: Number(match[0]), text: match[0], start };
  }

  /** An identifier or a dotted variable path such as `user.address.city` or `items.0`. */
  private scanWord(start: number): Token {
    const source = this.source;
    let index = start + 1;
    for (;;) {
      while (index < source.length && IDENTIFIER_PART.test(source[index])) index++;
      if (source[index] === "." && IDENTIFIER_PART.test(source[index + 1] ?? "")) {
        index++;
        continue;
      }
      break;
    }
    this.position = index;
    return { type: "word", value: source.slice(start, index), start };
  }
}

/**
 * Offset of the include function name when the tag opening at `tagStart` is an include, else -1.
 * Triple (`{{{`) and unescaped (`{{&`) forms are refused so an include is never silently
 * treated as a plain variable.
 */
function includeNameOffset(source: string, tagStart: number): number {
  let index = tagStart + 2;
  const variant = source[index] === "{" || source[index] === "&" ? source[index] : null;
  if (variant) index++;
  while (index < source.length && WHITESPACE.test(source[index])) index++;
  if (!source.startsWith(INCLUDE_FUNCTION, index)) return -1;
  if (IDENTIFIER_PART.test(source[index + INCLUDE_FUNCTION.length] ?? "")) return -1;
  if (variant) {
    throw syntaxError(
      source,
      tagStart,
      `malformed ${INCLUDE_FUNCTION}: write it as {{ ${INCLUDE_FUNCTION}(...) }}`,
    );
  }
  return index;
}

/**
 * Every include tag of a template source, in source order. Pure; throws `TemplateSyntaxError`
 * (with an empty chain) on a malformed include.
 */
export function findIncludes(source: string): IncludeCall[] {
  const includes: IncludeCall[] = [];
  let tagStart = source.indexOf("{{");
  while (tagStart !== -1) {
    const nameOffset = includeNameOffset(source, tagStart);
    let next = tagStart + 2;
    if (nameOffset !== -1) {
      const call = new IncludeTagParser(source, nameOffset).parseTag(tagStart);
      includes.push(call);
      next = call.end;
    }
    tagStart = source.indexOf("{{", next);
  }
  return includes;
}
