/**
 * Dashboard views against the `scale` data set: adds 1,000,000 settled notifications and
 * their history (bench/scale-data.ts; reused when a previous `--keep` run left them), then
 * prints each notify.dashboard_* view's planning and execution time (EXPLAIN ANALYZE, after
 * one warm-up read) as service_role and as a member of one enterprise, with the indexes its
 * plan uses. Target: every view under 100 ms. The added rows are deleted at the end unless
 * `--keep` is given.
 *
 *   ./dev bench views [settled_rows] [--keep]     (or: deno task bench:views)
 */
import { addSettledRows } from "./scale-data.ts";
import { connect, ENTERPRISES } from "./support.ts";

const keep = Deno.args.includes("--keep");
const settledRows = Number(Deno.args.find((arg) => !arg.startsWith("--")) ?? 1_000_000);
const namePrefix = "bench-views-";
const VIEWS = [
  "dashboard_queues",
  "dashboard_notification_counts",
  "dashboard_failures",
  "dashboard_latency",
  "dashboard_stuck_work",
  "dashboard_rule_firings",
  "dashboard_delivery_outcomes",
];
const TARGET_MS = 100;
const sql = connect(1);

interface PlanNode {
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function indexNames(node: PlanNode): string[] {
  return [
    ...(node["Index Name"] ? [node["Index Name"]] : []),
    ...(node.Plans ?? []).flatMap(indexNames),
  ];
}

type Actor = { label: string; claims: object; role: string };
const ACTORS: Actor[] = [
  { label: "service_role", role: "service_role", claims: { role: "service_role" } },
  {
    label: "member",
    role: "authenticated",
    claims: { role: "authenticated", app_metadata: { enterprise_ids: [ENTERPRISES[0].id] } },
  },
];

async function timeView(view: string, actor: Actor) {
  return await sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(actor.claims)}, true)`;
    await tx.unsafe(`set local role ${actor.role}`);
    const query = `select * from notify.${view}`;
    await tx.unsafe(query);
    const [row] = await tx.unsafe(`explain (analyze, format json) ${query}`);
    const [explained] = row["QUERY PLAN"] as [
      { Plan: PlanNode; "Planning Time": number; "Execution Time": number },
    ];
    return {
      planningMs: explained["Planning Time"],
      executionMs: explained["Execution Time"],
      indexes: [...new Set(indexNames(explained.Plan))],
    };
  });
}

try {
  const [{ reused }] = await sql<{ reused: boolean }[]>`
    select exists (select from notify.ent_notification where name = ${namePrefix + "1"}) as reused`;
  if (reused) {
    console.log(`reusing the ${namePrefix}* rows of an earlier --keep run`);
  } else {
    const started = performance.now();
    await addSettledRows(sql, settledRows, namePrefix);
    console.log(
      `added ${settledRows} settled rows and ${settledRows * 2} history rows in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const [{ rows }] = await sql<{ rows: number }[]>`
    select count(*)::int as rows from notify.ent_notification`;
  console.log(`notify.ent_notification: ${rows} rows\n`);
  let slowest = 0;
  for (const view of VIEWS) {
    for (const actor of ACTORS) {
      const timing = await timeView(view, actor);
      const total = timing.planningMs + timing.executionMs;
      slowest = Math.max(slowest, total);
      console.log(
        `${view.padEnd(30)} ${actor.label.padEnd(12)} ${total.toFixed(1).padStart(7)} ms ` +
          `(plan ${timing.planningMs.toFixed(1)}, run ${timing.executionMs.toFixed(1)})  ` +
          `indexes: ${timing.indexes.join(", ") || "none"}`,
      );
    }
  }
  console.log(`\nslowest: ${slowest.toFixed(1)} ms (target < ${TARGET_MS} ms)`);
} finally {
  if (!keep) await sql`delete from notify.ent_notification where name like ${namePrefix + "%"}`;
  await sql.end();
}
