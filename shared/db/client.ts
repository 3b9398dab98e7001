import postgres from "postgres";

export type Sql = postgres.Sql;

/**
 * One small pool per function instance. `prepare: false` because Supabase's pooler
 * (transaction mode) cannot keep named prepared statements across transactions.
 */
export function createDbClient(
  databaseUrl: string,
  options: { max?: number; connectTimeoutSeconds?: number } = {},
): Sql {
  return postgres(databaseUrl, {
    prepare: false,
    max: options.max ?? 3,
    // postgres.js waits 30 s for a connection by default.
    connect_timeout: options.connectTimeoutSeconds ?? 30,
    idle_timeout: 20,
    connection: { application_name: "xnovu-functions" },
  });
}
