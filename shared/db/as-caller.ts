import type postgres from "postgres";
import type { CallerClaims } from "../http/claims.ts";
import type { Sql } from "./client.ts";

export type TransactionSql = postgres.TransactionSql;

/** The API roles Supabase issues JWTs for; anything else never becomes a database role. */
const API_ROLES = new Set(["anon", "authenticated", "service_role"]);

/**
 * Runs `work` in a transaction as the caller: the JWT's role and claims, exactly as
 * PostgREST would set them, so RLS (through `notify_internal.caller_enterprise_ids()`) decides
 * what the caller sees. Both settings are transaction-local and vanish at commit/rollback.
 */
export async function asCaller<T>(
  sql: Sql,
  claims: CallerClaims,
  work: (tx: TransactionSql) => Promise<T>,
): Promise<T> {
  if (!API_ROLES.has(claims.role)) {
    throw new Error(`role ${claims.role} is not an API role`);
  }
  return await sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims.raw)}, true)`;
    // A role cannot be a bind parameter; it comes from the allow-list above.
    await tx.unsafe(`set local role ${claims.role}`);
    return await work(tx);
  }) as T;
}
