/** Where integration tests find the running local platform (overridable for other setups). */
export const FUNCTIONS_URL = Deno.env.get("FUNCTIONS_URL") ?? "http://127.0.0.1:54321/functions/v1";
export const DB_URL = Deno.env.get("SUPABASE_DB_URL") ??
  "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
export const NOVU_SECRET_KEY = Deno.env.get("NOVU_SECRET_KEY") ?? "xnovu-local-novu-secret";

export const ENTERPRISE_A = "11111111-1111-4111-8111-111111111111";
export const ENTERPRISE_B = "22222222-2222-4222-8222-222222222222";

/** A suffix that keeps one run's fixture keys apart from another's and from seed data. */
export const runSuffix = () => `${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;

/** The project's service role key (the Supabase CLI's well-known local one here). */
export const SERVICE_ROLE_KEY = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") ??
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU";

/** The secret the database's kicks carry to the dispatcher and the rules engine. */
export const KICK_SECRET = Deno.env.get("XNOVU_KICK_SECRET") ?? "xnovu-local-kick-secret";
