import type { TemplateLoader, TemplateRecord, TemplateRef, TemplateScope } from "./types.ts";

function isUsable(record: TemplateRecord, ref: TemplateRef, scope: TemplateScope): boolean {
  return record.publish_status === "PUBLISH" &&
    !record.deactivated &&
    (scope.channel === undefined || record.channel_type === scope.channel) &&
    ("key" in ref ? record.template_key === ref.key : record.id === ref.id);
}

/**
 * A `TemplateLoader` over rows held in memory (tests, previews), following the lookup rule of
 * `TemplateLoader`: the enterprise's own row first, then a shared one. It reads `records` on
 * every call, so a test may edit the array between renders.
 */
export function createMemoryTemplateLoader(records: TemplateRecord[]): TemplateLoader {
  return (ref, scope) => {
    const candidates = records.filter((record) => isUsable(record, ref, scope));
    const found = candidates.find((record) => record.enterprise_id === scope.enterpriseId) ??
      candidates.find((record) => record.enterprise_id === null) ?? null;
    return Promise.resolve(found);
  };
}
