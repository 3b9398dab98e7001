import assert from "node:assert/strict";
import { runSuffix } from "../support/env.ts";
import {
  connect,
  killFunctionsServer,
  recipientIds,
  startServices,
  waitFor,
} from "./support/platform.ts";
import { runScheduler, secondsAhead } from "./support/rules.ts";

const RULES = 3_000;

Deno.test("the functions server killed during materialisation: every firing once, no duplicate", async () => {
  const sql = connect();
  const prefix = `e2e-crash-rule-${runSuffix()}`;
  const instant = secondsAhead(100);
  const [recipient] = recipientIds(1);
  try {
    // Drafts first, so the kick of the insert finds nothing; publishing them all kicks one run.
    await sql`
      insert into notify.ent_notification_rule
        (name, enterprise_id, notification_workflow_id, trigger_type, trigger_config, rule_payload, publish_status)
      select ${prefix} || '-' || i, '11111111-1111-4111-8111-111111111111', w.id, 'SCHEDULE',
             jsonb_build_object('at', ${instant.toISOString()}::text),
             jsonb_build_object('payload', jsonb_build_object('body', 'Crash ' || i), 'recipients', jsonb_build_array(${recipient}::text)),
             'DRAFT'
        from generate_series(1, ${RULES}) i, notify.ent_notification_workflow w
       where w.workflow_key = 'default-sms'`;
    const count = async () => {
      const [row] = await sql<{ firings: number }[]>`
        select count(*)::int as firings from notify.rule_firing f
          join notify.ent_notification_rule r on r.id = f.notification_rule_id where r.name like ${
        prefix + "-%"
      }`;
      return row.firings;
    };
    await sql`update notify.ent_notification_rule set publish_status = 'PUBLISH' where name like ${
      prefix + "-%"
    }`;
    // Kill the functions server as soon as the first batch of firings is committed.
    const seen = await waitFor(async () => {
      const firings = await count();
      return firings > 0 ? firings : undefined;
    }, { what: "the first firings", timeoutMs: 60_000, intervalMs: 10 });
    await killFunctionsServer();
    console.log(`killed the functions server with ${seen} of ${RULES} firings recorded`);
    await startServices();

    await runScheduler();
    await runScheduler();
    const [totals] = await sql<
      { firings: number; notifications: number; distinct_rules: number }[]
    >`
      select count(f.id)::int as firings, count(n.id)::int as notifications,
             count(distinct n.notification_rule_id)::int as distinct_rules
        from notify.ent_notification_rule r
        left join notify.rule_firing f on f.notification_rule_id = r.id
        left join notify.ent_notification n on n.id = f.notification_id
       where r.name like ${prefix + "-%"}`;
    assert.deepEqual(totals, { firings: RULES, notifications: RULES, distinct_rules: RULES });
  } finally {
    await sql`delete from notify.ent_notification_rule where name like ${prefix + "-%"}`;
    await startServices();
    await sql.end();
  }
});
