/**
 * What a person sees: a notification inserted as the platform would is delivered, and the
 * Novu emulator's page, loaded in headless Chromium (Debian's, driven by playwright-core),
 * shows its rendered email subject and body.
 */
import assert from "node:assert/strict";
import {
  connect,
  EMULATOR_URL,
  insertAsMember,
  recipientIds,
  uniqueName,
  waitFor,
  waitForFinishedEvents,
  waitForStatus,
} from "./support/platform.ts";
import { launchChromium } from "./support/browser.ts";

Deno.test("the emulator page shows a delivered email's rendered subject and body", async () => {
  const sql = connect();
  const subject = `Lobby reopens ${crypto.randomUUID().slice(0, 8)}`;
  let transactionId: string;
  try {
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("demo-page"),
      workflowKey: "default-email",
      payload: { subject, body: "The <b>lobby</b> is open again." },
      recipients: recipientIds(1),
    }]);
    transactionId = (await waitForStatus(sql, id, "SENT")).transaction_id!;
    await waitForFinishedEvents(id);
  } finally {
    await sql.end();
  }

  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // Filtered to this notification's event: the page reloads every 2 s, and a full page of
    // iframes did not always settle between reloads on a loaded machine.
    await page.goto(`${EMULATOR_URL}/?transactionId=${transactionId}`);
    const email = page.locator(`iframe.email[title="${subject}"]`);
    await email.waitFor({ timeout: 10_000 });
    const subjectField = page.locator(".field", { hasText: subject });
    assert.equal((await subjectField.textContent())?.trim(), `Subject ${subject}`);
    // The body is rendered as a page would show it: markup applied, not printed.
    const body = page.frameLocator(`iframe.email[title="${subject}"]`).locator("body");
    assert.equal((await body.textContent())?.trim(), "The <b>lobby</b> is open again.");
  } finally {
    await browser.close();
  }
});

Deno.test("the demo's door event fired the seed's EVENT rule: a security alert was sent", async () => {
  const sql = connect();
  try {
    // local/demo.sql (run by ./dev up on a fresh database) emits this event as a building
    // system would; the seed's "Door forced open" rule turns it into a notification.
    const firing = await waitFor(async () => {
      const [row] = await sql<
        { outcome: string; rule: string; notification_id: number | null }[]
      >`
        select f.outcome, r.name as rule, f.notification_id::int
          from notify.rule_event e
          join notify.rule_firing f on f.event_id = e.id
          left join notify.ent_notification_rule r on r.id = f.notification_rule_id
         where e.dedup_key = 'demo-east-service-door'`;
      return row;
    }, { what: "the demo event's firing", timeoutMs: 15_000 });
    assert.equal(firing.rule, "Door forced open");
    assert.equal(firing.outcome, "created");
    assert.ok(firing.notification_id !== null);
    const sent = await waitForStatus(sql, firing.notification_id, "SENT");
    assert.equal(sent.transaction_id, `xnovu-${firing.notification_id}-0`);
    const [{ payload }] = await sql<{ payload: { doorName: string } }[]>`
      select payload from notify.ent_notification where id = ${firing.notification_id}`;
    assert.equal(payload.doorName, "East service door", "the payload comes from the event");
  } finally {
    await sql.end();
  }
});
