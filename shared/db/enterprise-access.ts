import type { CallerClaims } from "../http/claims.ts";
import { asCaller } from "./as-caller.ts";
import type { Sql } from "./client.ts";

/**
 * Whether the caller may act for `enterpriseId`. The service role may (it is the platform's
 * back end); anyone else is asked of `notify_internal.caller_enterprise_ids()`, the one helper
 * every RLS policy calls, with the caller's own role and claims.
 */
export async function callerCanAccessEnterprise(
  sql: Sql,
  claims: CallerClaims,
  enterpriseId: string,
): Promise<boolean> {
  if (claims.role === "service_role") return true;
  if (claims.role !== "authenticated") return false;
  const [row] = await asCaller(sql, claims, (tx) =>
    tx<{ granted: boolean }[]>`
      select ${enterpriseId}::uuid = any(notify_internal.caller_enterprise_ids())
        as granted`);
  return row.granted;
}
