/**
 * Cost of the novu-webhook function per event: posts N signed `message.seen` events (svix
 * signing, distinct event ids) for one sent notification, first one at a time (ms per event
 * = the round trip: verify, parse, record) then 8 in flight (ms per event at that
 * concurrency), and checks every one was recorded.
 *
 *   ./dev bench webhook [events]
 */
import { messageEventBody, postSignedWebhook } from "../tests/support/novu-webhook.ts";
import { connect, ENTERPRISES, percentile, workflowIds } from "./support.ts";

const total = Number(Deno.args[0] ?? 500);
const run = `bench-webhook-${Date.now()}`;
const sql = connect(2);
const enterprise = ENTERPRISES[1];
const workflows = await workflowIds(sql);
const [{ id }] = await sql<{ id: number }[]>`
  insert into notify.ent_notification
    (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients)
  values (${run}, ${enterprise.id}, ${workflows.get(enterprise.workflowKey)!}, 'PUBLISH',
          ${sql.json({ subject: "Webhook bench", body: "One notification" })},
          ${["b0000000-0000-4000-8000-00000000000b"]})
  returning id::int`;
const deadline = Date.now() + 30_000;
while (
  (await sql`select 1 from notify.ent_notification where id = ${id} and notification_status = 'SENT'`)
    .length === 0
) {
  if (Date.now() > deadline) throw new Error(`notification ${id} was not sent within 30 s`);
  await new Promise((resolve) => setTimeout(resolve, 100));
}

async function post(index: number): Promise<number> {
  const eventId = `evt_${run}_${index}`;
  const body = messageEventBody({
    eventId,
    type: "message.seen",
    transactionId: `xnovu-${id}-0`,
    subscriberId: "b0000000-0000-4000-8000-00000000000b",
    channel: "email",
  });
  const started = performance.now();
  const response = await postSignedWebhook(body, { svixId: `msg_${run}_${index}` });
  await response.body?.cancel();
  if (response.status !== 200) throw new Error(`event ${index} answered ${response.status}`);
  return performance.now() - started;
}

// Warm-up: the first call loads svix and opens the function's connections.
for (let i = 0; i < 10; i++) await post(-1 - i);

const half = Math.floor(total / 2);
const sequentialStart = performance.now();
const latencies: number[] = [];
for (let i = 0; i < half; i++) latencies.push(await post(i));
const sequentialMs = performance.now() - sequentialStart;

const concurrentStart = performance.now();
let next = half;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (next < total) await post(next++);
}));
const concurrentMs = performance.now() - concurrentStart;

const [{ recorded }] = await sql<{ recorded: number }[]>`
  select count(*)::int as recorded from notify.delivery_event
   where notification_id = ${id} and event_id like ${`evt_${run}_%`}`;
console.log(`novu-webhook: ${total} signed events for notification ${id} (loaded machine)`);
console.log(
  `  one at a time: ${(sequentialMs / half).toFixed(2)} ms/event` +
    ` (p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${
      percentile(latencies, 99).toFixed(1)
    } ms)`,
);
console.log(`  8 in flight:   ${(concurrentMs / (total - half)).toFixed(2)} ms/event`);
console.log(`  recorded: ${recorded} of ${total + 10} (10 warm-up)`);
await sql`delete from notify.ent_notification where id = ${id}`;
await sql.end();
