/**
 * Registers the STATIC workflows (shared/workflows/static) in notify.ent_notification_workflow.
 * Usage: deno task sync:workflows   (database from SUPABASE_DB_URL, else the local one)
 */
import { createDbClient } from "../shared/db/client.ts";
import { syncStaticWorkflows } from "../shared/db/sync-static-workflows.ts";
import { STATIC_WORKFLOWS } from "../shared/workflows/static/mod.ts";
import { registrationOf } from "../shared/workflows/static/registration.ts";

const LOCAL_DB_URL = "postgresql://postgres:postgres@127.0.0.1:54322/postgres";

const sql = createDbClient(Deno.env.get("SUPABASE_DB_URL") ?? LOCAL_DB_URL, { max: 1 });
try {
  const changed = await syncStaticWorkflows(sql, STATIC_WORKFLOWS.map(registrationOf));
  console.log(
    `static workflows: ${STATIC_WORKFLOWS.length} registered, ${changed.length} inserted or changed` +
      (changed.length > 0 ? ` (${changed.join(", ")})` : ""),
  );
} finally {
  await sql.end();
}
