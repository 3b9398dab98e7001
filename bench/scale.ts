/**
 * Dispatch cost against history: runs the latency and throughput benchmarks on the tables as
 * they are, then adds 1,000,000 settled notifications (SENT, FAILED, RETRACTED) and their
 * status history rows with set-based SQL (not through the pipeline), runs both again, and
 * prints the ratios (target ≤ 1.2). The added rows are deleted at the end.
 *
 *   ./dev bench scale [settled_rows] [latency_seconds]
 */
import { connect, ENTERPRISES } from "./support.ts";

const settledRows = Number(Deno.args[0] ?? 1_000_000);
const latencySeconds = Deno.args[1] ?? "30";
const namePrefix = `bench-scale-${Date.now()}-`;
const sql = connect();

async function bench(name: string, args: string[]): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(`./${name}.ts`, import.meta.url).pathname, ...args],
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  if (!output.success) throw new Error(`bench ${name} failed:\n${text}`);
  return text;
}

async function measure(label: string) {
  const latency = await bench("latency", ["100", latencySeconds]);
  const throughput = await bench("throughput", ["20000", "on"]);
  const p99 = Number(latency.match(/p99 (\d+) ms/)![1]);
  const perSecond = Number(throughput.match(/throughput:\s+(\d+)/)![1]);
  console.log(`${label}: latency p99 ${p99} ms, throughput ${perSecond} notifications/s`);
  return { p99, perSecond };
}

try {
  const [{ rows }] = await sql<{ rows: number }[]>`
    select count(*)::int as rows from notify.ent_notification`;
  const empty = await measure(`with ${rows} rows`);

  const started = performance.now();
  await sql.begin(async (tx) => {
    await tx`
      insert into notify.ent_notification
        (name, enterprise_id, notification_workflow_id, publish_status, notification_status,
         payload, recipients, channels, transaction_id, processed_at, retracted_at,
         retraction_reason, error_details, created_at, updated_at)
      select ${namePrefix} || i, e.id, null, 'PUBLISH', s.status, '{"subject": "old"}',
        array[gen_random_uuid()], '{EMAIL}', 'xnovu-history-' || i,
        now() - make_interval(mins => i % 100000), 
        case when s.status = 'RETRACTED' then now() end,
        case when s.status = 'RETRACTED' then 'history' end,
        case when s.status = 'FAILED' then '{"kind": "novu_rejected"}'::jsonb end,
        now() - make_interval(mins => i % 100000), now()
      from generate_series(1, ${settledRows}::int) as i
      cross join lateral (select (${ENTERPRISES.map((e) => e.id)}::uuid[])[1 + i % 2] as id) e
      cross join lateral (select (array['SENT', 'SENT', 'SENT', 'FAILED', 'RETRACTED'])[1 + i % 5]
                                   ::shared_types.notification_status as status) s`;
    // Two history rows each: PENDING -> PROCESSING -> final.
    await tx`
      insert into notify.notification_status_history
        (notification_id, enterprise_id, from_status, to_status, changed_at, changed_by_role)
      select n.id, n.enterprise_id, m.from_status, m.to_status, n.created_at, 'service_role'
        from notify.ent_notification n
        cross join lateral (values ('PENDING'::shared_types.notification_status, 'PROCESSING'::shared_types.notification_status),
                                   ('PROCESSING', case when n.notification_status = 'RETRACTED' then 'SENT' else n.notification_status end))
                           as m (from_status, to_status)
       where n.name like ${namePrefix + "%"}`;
  });
  await sql`vacuum analyze notify.ent_notification`;
  await sql`vacuum analyze notify.notification_status_history`;
  console.log(
    `added ${settledRows} settled rows and ${settledRows * 2} history rows in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const full = await measure(`with ${rows + settledRows} rows`);
  console.log(`latency p99 ratio:  ${(full.p99 / empty.p99).toFixed(2)} (target ≤ 1.2)`);
  console.log(
    `throughput ratio:   ${(empty.perSecond / full.perSecond).toFixed(2)} ` +
      `(empty / full, target ≤ 1.2)`,
  );
} finally {
  await sql`delete from notify.ent_notification where name like ${namePrefix + "%"}`;
  await sql.end();
}
