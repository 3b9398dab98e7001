/**
 * Dispatch cost against history: runs the latency and throughput benchmarks on the tables as
 * they are, then adds 1,000,000 settled notifications (SENT, FAILED, RETRACTED) and their
 * status history rows with set-based SQL (not through the pipeline), runs both again, and
 * prints the ratios (target ≤ 1.2). The added rows are deleted at the end.
 *
 *   ./dev bench scale [settled_rows] [latency_seconds]
 */
import { addSettledRows } from "./scale-data.ts";
import { connect } from "./support.ts";

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
  await addSettledRows(sql, settledRows, namePrefix);
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
