import assert from "node:assert/strict";
import { assertSingleDelivery } from "./support/assertions.ts";
import {
  clearFaults,
  connect,
  emulatorEvents,
  history,
  insertAsMember,
  moves,
  recipientIds,
  setFaults,
  uniqueName,
  waitForFinishedEvents,
  waitForStatus,
  withDispatchSettings,
} from "./support/platform.ts";

/** What the emulator answers for an injected 500 (its Novu-shaped ErrorDto). */
const INJECTED_500_MESSAGE = "Injected fault: internal error";
/** `error_details.upstream_body` is trimmed to this many characters (plus an ellipsis). */
const UPSTREAM_BODY_LIMIT = 2_048;

Deno.test("a schema-violating payload: FAILED at once with payload_invalid, never sent", async () => {
  const sql = connect();
  try {
    const [id] = await insertAsMember(sql, [{
      name: uniqueName("invalid"),
      workflowKey: "building-maintenance",
      // `date` and `buildingName` are required; `title` must be a string.
      payload: { title: 42 },
      recipients: recipientIds(1),
    }]);
    const row = await waitForStatus(sql, id, "FAILED");
    assert.equal(row.transaction_id, null);
    assert.equal(typeof row.error_details, "object", "error_details is a JSON object");
    assert.equal(row.error_details.kind, "payload_invalid");
    assert.equal(row.error_details.attempts, 1);
    assert.equal(row.error_details.upstream_status, null);
    assert.match(row.error_details.message, /date|buildingName|title/);
    assert.deepEqual(await moves(sql, id), ["PENDING->PROCESSING", "PROCESSING->FAILED"]);
    assert.deepEqual(await emulatorEvents(id), []);
  } finally {
    await sql.end();
  }
});

Deno.test("Novu answering 500 twice, then recovering: SENT after two retries, one delivery", async () => {
  const sql = connect();
  try {
    await withDispatchSettings(sql, { dispatch_backoff_base_ms: "100" }, async () => {
      await setFaults({ failNext: 2 });
      const [id] = await insertAsMember(sql, [{
        name: uniqueName("recover"),
        workflowKey: "default-email",
        payload: { subject: "Retried", body: "Twice" },
        recipients: recipientIds(1),
      }]);
      const row = await waitForStatus(sql, id, "SENT", 20_000);
      assert.equal(row.transaction_id, `xnovu-${id}-0`);
      assert.deepEqual(await moves(sql, id), [
        "PENDING->PROCESSING",
        "PROCESSING->PENDING",
        "PENDING->PROCESSING",
        "PROCESSING->PENDING",
        "PENDING->PROCESSING",
        "PROCESSING->SENT",
      ]);
      const retries = (await history(sql, id)).filter((entry) =>
        entry.move === "PROCESSING->PENDING"
      );
      assert.deepEqual(retries.map((entry) => entry.details.error_details.attempts), [1, 2]);
      for (const retry of retries) {
        assert.equal(retry.details.error_details.kind, "novu_unavailable");
        assert.equal(retry.details.error_details.upstream_status, 500);
      }
      const event = assertSingleDelivery(await waitForFinishedEvents(id), id);
      assert.equal(event.duplicates, 0, "the 500s delivered nothing, the retry delivered once");
      assert.deepEqual(event.recipients[0].steps[0].outputs, {
        subject: "Retried",
        body: "<p>Twice</p>",
      });
    });
  } finally {
    await clearFaults();
    await sql.end();
  }
});

Deno.test("Novu down for good: FAILED after the maximum attempts with the upstream answer", async () => {
  const sql = connect();
  const maxAttempts = 3;
  try {
    await withDispatchSettings(
      sql,
      { dispatch_backoff_base_ms: "100", dispatch_max_attempts: String(maxAttempts) },
      async () => {
        await setFaults({ errorRate: 1 });
        const [id] = await insertAsMember(sql, [{
          name: uniqueName("down"),
          workflowKey: "default-sms",
          payload: { body: "Nobody hears this" },
          recipients: recipientIds(1),
        }]);
        const row = await waitForStatus(sql, id, "FAILED", 20_000);
        assert.equal(row.transaction_id, null);
        const details = row.error_details;
        assert.equal(details.kind, "novu_unavailable");
        assert.equal(details.attempts, maxAttempts);
        assert.equal(details.upstream_status, 500);
        assert.ok(details.upstream_body.length <= UPSTREAM_BODY_LIMIT + 1, "trimmed");
        assert.equal(JSON.parse(details.upstream_body).message, INJECTED_500_MESSAGE);
        assert.deepEqual(await moves(sql, id), [
          "PENDING->PROCESSING",
          "PROCESSING->PENDING",
          "PENDING->PROCESSING",
          "PROCESSING->PENDING",
          "PENDING->PROCESSING",
          "PROCESSING->FAILED",
        ]);
        assert.deepEqual(await emulatorEvents(id), []);
      },
    );
  } finally {
    await clearFaults();
    await sql.end();
  }
});

Deno.test("a 429 with Retry-After: 2 is honoured: the retry comes no sooner than 2 s later", async () => {
  const sql = connect();
  try {
    // A 100 ms backoff would retry after 1 s; only Retry-After can hold the retry for 2 s.
    await withDispatchSettings(sql, { dispatch_backoff_base_ms: "100" }, async () => {
      await setFaults({ rateLimitNext: 1, rateLimit: { rate: 0, retryAfterSeconds: 2 } });
      const [id] = await insertAsMember(sql, [{
        name: uniqueName("rate-limited"),
        workflowKey: "default-email",
        payload: { subject: "Later", body: "Rate limited once" },
        recipients: recipientIds(1),
      }]);
      await waitForStatus(sql, id, "SENT", 20_000);
      const entries = await history(sql, id);
      assert.deepEqual(entries.map((entry) => entry.move), [
        "PENDING->PROCESSING",
        "PROCESSING->PENDING",
        "PENDING->PROCESSING",
        "PROCESSING->SENT",
      ]);
      const rateLimited = entries[1];
      assert.equal(rateLimited.details.error_details.kind, "novu_rate_limited");
      assert.equal(rateLimited.details.error_details.upstream_status, 429);
      const event = assertSingleDelivery(await waitForFinishedEvents(id), id);
      // The retry was released after the 429 arrived, so this gap is at most the real one.
      const gapMs = event.acceptedAt - rateLimited.changed_at.getTime();
      const reclaimGapMs = entries[2].changed_at.getTime() - rateLimited.changed_at.getTime();
      console.log(`429 -> retry accepted: ${gapMs} ms (re-claimed after ${reclaimGapMs} ms)`);
      assert.ok(gapMs >= 2_000, `retried ${gapMs} ms after the 429`);
      assert.ok(reclaimGapMs >= 2_000, `re-claimed ${reclaimGapMs} ms after the 429`);
    });
  } finally {
    await clearFaults();
    await sql.end();
  }
});
