import assert from "node:assert/strict";
import postgres from "postgres";
import { DB_URL } from "../support/env.ts";
import { waitFor } from "../support/wait.ts";

const STATIC_KEYS = [
  "default-chat",
  "default-email",
  "default-in-app",
  "default-multi-channel",
  "default-push",
  "default-sms",
  "fire-emergency-alert",
];

async function runSync(): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("../../tools/sync-workflows.ts", import.meta.url).pathname,
    ],
    env: { SUPABASE_DB_URL: DB_URL },
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return stdout;
}

Deno.test("sync registers every static workflow once, and a second run changes nothing", async () => {
  const sql = postgres(DB_URL, { prepare: false, max: 1 });
  try {
    await runSync();
    const afterFirst = await sql<
      {
        workflow_key: string;
        workflow_type: string;
        publish_status: string;
        enterprise_id: string | null;
        default_channels: string[];
        payload_schema: Record<string, unknown>;
        updated_at: Date;
      }[]
    >`
      select workflow_key, workflow_type::text, publish_status::text, enterprise_id,
             default_channels::text[] as default_channels, payload_schema, updated_at
        from notify.ent_notification_workflow
       where workflow_key = any(${STATIC_KEYS})
       order by workflow_key`;
    assert.deepEqual(afterFirst.map((row) => row.workflow_key), STATIC_KEYS);
    for (const row of afterFirst) {
      assert.equal(row.workflow_type, "STATIC");
      assert.equal(row.publish_status, "PUBLISH");
      assert.equal(row.enterprise_id, null);
    }
    const byKey = Object.fromEntries(afterFirst.map((row) => [row.workflow_key, row]));
    assert.deepEqual(byKey["default-multi-channel"].default_channels, [
      "EMAIL",
      "IN_APP",
      "SMS",
      "PUSH",
      "CHAT",
    ]);
    assert.deepEqual(byKey["default-sms"].default_channels, ["SMS"]);
    assert.deepEqual(byKey["default-sms"].payload_schema, {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { body: { type: "string", minLength: 1 } },
      required: ["body"],
      additionalProperties: false,
    });
    const fire = byKey["fire-emergency-alert"].payload_schema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    assert.deepEqual(fire.required, ["building", "floor", "severity", "instructions"]);
    assert.deepEqual(fire.properties.severity, {
      type: "string",
      enum: ["LOW", "MEDIUM", "HIGH", "CRITICAL"],
    });

    const secondRun = await runSync();
    assert.match(secondRun, /7 registered, 0 inserted or changed/);
    const afterSecond = await sql<{ workflow_key: string; updated_at: Date }[]>`
      select workflow_key, updated_at from notify.ent_notification_workflow
       where workflow_key = any(${STATIC_KEYS}) order by workflow_key`;
    assert.deepEqual(
      afterSecond.map((row) => [row.workflow_key, row.updated_at.getTime()]),
      afterFirst.map((row) => [row.workflow_key, row.updated_at.getTime()]),
    );
  } finally {
    await sql.end();
  }
});

Deno.test("every run asks for a Novu sync of the static workflows, which the novu-sync function makes", async () => {
  const sql = postgres(DB_URL, { prepare: false, max: 1 });
  try {
    const [{ before }] = await sql<{ before: string }[]>`
      select coalesce(max(change_id), 0)::text as before from notify_internal.workflow_novu_sync`;
    await runSync();
    const requested = await sql<{ workflow_key: string }[]>`
      select workflow_key from notify_internal.workflow_novu_sync
       where change_id > ${before}::bigint order by workflow_key`;
    assert.deepEqual(requested.map((row) => row.workflow_key), STATIC_KEYS);
    // Synced within seconds (the debounce, then one call): later tests start from a synced Novu.
    const synced = await waitFor(async () => {
      const [row] = await sql<{ synced_workflows: string[] }[]>`
        select synced_workflows from notify_internal.novu_sync
         where outcome = 'succeeded'
           and not exists (select from notify_internal.workflow_awaiting_novu_sync a
                            where a.workflow_key = any(${STATIC_KEYS}))
           and covered ? (select workflow_id::text from notify_internal.workflow_novu_sync
                           where workflow_key = 'default-email')
         order by id desc limit 1`;
      return row;
    }, { what: "the Novu sync of the static workflows", timeoutMs: 20_000 });
    for (const key of STATIC_KEYS) assert.ok(synced.synced_workflows.includes(key), key);
  } finally {
    await sql.end();
  }
});
