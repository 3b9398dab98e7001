/** Builders shared by the engine's unit tests. */
import { createMemoryTemplateLoader } from "./memory_loader.ts";
import type { TemplateLoader, TemplateRecord } from "./types.ts";

export const ENTERPRISE_A = "00000000-0000-0000-0000-00000000000a";
export const ENTERPRISE_B = "00000000-0000-0000-0000-00000000000b";

let nextId = 1;

/** A published, active, shared EMAIL template unless `overrides` say otherwise. */
export function templateRow(
  key: string,
  body: string,
  overrides: Partial<TemplateRecord> = {},
): TemplateRecord {
  return {
    id: nextId++,
    template_key: key,
    enterprise_id: null,
    channel_type: "EMAIL",
    subject_template: null,
    body_template: body,
    variables_description: null,
    updated_at: "2025-01-01T00:00:00Z",
    publish_status: "PUBLISH",
    deactivated: false,
    ...overrides,
  };
}

/** A memory loader that counts its calls. */
export function countingLoader(records: TemplateRecord[]): TemplateLoader & { calls: number } {
  const inner = createMemoryTemplateLoader(records);
  const loader = Object.assign(
    (...args: Parameters<TemplateLoader>) => {
      loader.calls++;
      return inner(...args);
    },
    { calls: 0 },
  );
  return loader;
}
