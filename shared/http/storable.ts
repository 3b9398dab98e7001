/**
 * What a request may carry into the database: Postgres `text` and `jsonb` refuse NUL
 * characters and lone UTF-16 surrogates (`\u0000`, `\ud800`) with errors that say nothing
 * about the field, and a deeply nested JSON value exhausts the server's stack while it is
 * converted. These checks run before any query so the caller is told which field is wrong.
 * Sizes are bounded by the database's check constraints (README, "Limits").
 */
import { z } from "zod";

/** Deepest nesting of objects and arrays in a stored JSON value (the root object is 1). */
export const MAX_JSON_DEPTH = 32;

const NUL = "\u0000";

/** Why a string cannot be stored, or null. */
export function textProblem(text: string): string | null {
  if (text.includes(NUL)) return "contains a NUL character (U+0000)";
  if (!text.isWellFormed()) return "contains a lone UTF-16 surrogate";
  return null;
}

/**
 * Why a JSON value cannot be stored (too deep, or a key or string `textProblem` refuses), with
 * the path to the offending part; null when it can. Iterative, so any depth is inspected safely.
 */
export function jsonValueProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{
    value,
    path: "",
    depth: 0,
  }];
  while (pending.length > 0) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === "string") {
      const problem = textProblem(current);
      if (problem) return `${path || "value"} ${problem}`;
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (depth + 1 > maxDepth) {
      return `${path || "value"} is nested deeper than ${maxDepth} levels`;
    }
    const entries = Array.isArray(current)
      ? current.map((item, index) => [String(index), item] as const)
      : Object.entries(current);
    for (const [key, item] of entries) {
      const keyProblem = textProblem(key);
      if (keyProblem) return `${path || "value"} has a key that ${keyProblem}`;
      pending.push({ value: item, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return null;
}

/** For `z.string()...superRefine(refuseUnstorableText)`: a string the database can store. */
export function refuseUnstorableText(text: string, context: z.RefinementCtx): void {
  const problem = textProblem(text);
  if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
}

/** A JSON object the database can store as `jsonb`. */
export const storableJsonObject = z.record(z.unknown()).superRefine((value, context) => {
  const problem = jsonValueProblem(value);
  if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});
