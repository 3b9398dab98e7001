/**
 * The pg_net stand-in against a real database: a scratch database of the local cluster
 * gets local/pg_net/pg_net.sql, and each test runs its own worker on it, so the
 * platform's worker (bound to the main database) never takes these requests.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { waitFor } from "../../tests/support/wait.ts";
import { startWorker } from "./worker.ts";

const adminUrl = Deno.env.get("DATABASE_URL") ??
  "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
const testDbName = "xnovu_pg_net_test";
const testDbUrl = adminUrl.replace(/\/[^/]*$/, `/${testDbName}`);
const standInSql = await Deno.readTextFile(new URL("./pg_net.sql", import.meta.url));

type Received = { method: string; path: string; body: string; headers: Headers };

/** A local HTTP server recording what it receives; `/slow/<ms>` answers after a delay. */
function startRecorder() {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    received.push({
      method: req.method,
      path: url.pathname + url.search,
      body: await req.text(),
      headers: req.headers,
    });
    const slow = url.pathname.match(/^\/slow\/(\d+)/);
    if (slow) await new Promise((resolve) => setTimeout(resolve, Number(slow[1])));
    if (url.pathname === "/fail") return new Response("upstream broke", { status: 500 });
    return Response.json({ ok: true, path: url.pathname }, { headers: { "x-recorder": "yes" } });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  return { received, base, close: () => server.shutdown() };
}

async function freshDatabase() {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${testDbName} with (force)`);
  await admin.unsafe(`create database ${testDbName}`);
  await admin.end();
  const sql = postgres(testDbUrl, { max: 4, onnotice: () => {} });
  await sql.unsafe(standInSql);
  return sql;
}

type ResponseRow = {
  id: string;
  status_code: number | null;
  content: string | null;
  headers: Record<string, string> | null;
  content_type: string | null;
  timed_out: boolean | null;
  error_msg: string | null;
};

async function responseFor(sql: postgres.Sql, id: string) {
  return await waitFor(async () => {
    const rows = await sql<ResponseRow[]>`select * from net._http_response where id = ${id}`;
    return rows[0];
  }, { what: `the response to request ${id}`, timeoutMs: 5_000, intervalMs: 25 });
}

Deno.test("pg_net stand-in", async (t) => {
  const sql = await freshDatabase();
  const recorder = startRecorder();
  let worker = startWorker({ databaseUrl: testDbUrl, pollIntervalMs: 200 });
  await worker.ready;

  try {
    await t.step("http_post is sent after commit with its body and headers", async () => {
      const [{ id }] = await sql`select net.http_post(
        url := ${recorder.base + "/hook"},
        body := '{"hello": "world"}'::jsonb,
        headers := '{"Authorization": "Bearer abc"}'::jsonb
      ) as id`;
      const response = await responseFor(sql, id);
      assert.equal(response.status_code, 200);
      assert.deepEqual(JSON.parse(response.content!), { ok: true, path: "/hook" });
      assert.equal(response.headers?.["x-recorder"], "yes");
      assert.equal(response.content_type, "application/json");
      assert.equal(response.timed_out, false);
      const request = recorder.received.find((r) => r.path === "/hook")!;
      assert.equal(request.method, "POST");
      assert.deepEqual(JSON.parse(request.body), { hello: "world" });
      assert.equal(request.headers.get("authorization"), "Bearer abc");
      assert.equal(request.headers.get("content-type"), "application/json");
    });

    await t.step(
      "nothing leaves before commit; a rolled-back transaction sends nothing",
      async () => {
        const pending = sql.reserve();
        const tx = await pending;
        await tx`begin`;
        await tx`select net.http_post(url := ${recorder.base + "/after-commit"})`;
        await tx`select net.http_post(url := ${recorder.base + "/rolled-back"})`;
        // Longer than two poll intervals: an uncommitted request must still be waiting.
        await new Promise((resolve) => setTimeout(resolve, 600));
        assert.equal(recorder.received.some((r) => r.path === "/after-commit"), false);
        await tx`rollback`;
        await tx`begin`;
        const [{ id }] = await tx`select net.http_post(url := ${
          recorder.base + "/after-commit"
        }) as id`;
        await tx`commit`;
        tx.release();
        await responseFor(sql, id);
        await new Promise((resolve) => setTimeout(resolve, 600));
        assert.equal(recorder.received.filter((r) => r.path === "/after-commit").length, 1);
        assert.equal(recorder.received.some((r) => r.path === "/rolled-back"), false);
        const [{ queued }] = await sql`select count(*)::int as queued from net.http_request_queue`;
        assert.equal(queued, 0);
      },
    );

    await t.step("http_get encodes params; http_delete sends DELETE", async () => {
      const [{ get_id, delete_id }] = await sql`select
        net.http_get(url := ${
        recorder.base + "/search"
      }, params := '{"q": "a b&c"}'::jsonb) as get_id,
        net.http_delete(url := ${recorder.base + "/items/7"}) as delete_id`;
      await responseFor(sql, get_id);
      await responseFor(sql, delete_id);
      assert.ok(
        recorder.received.some((r) => r.method === "GET" && r.path === "/search?q=a%20b%26c"),
      );
      assert.ok(recorder.received.some((r) => r.method === "DELETE" && r.path === "/items/7"));
    });

    await t.step("requests are sent concurrently", async () => {
      const started = Date.now();
      const ids = await sql<{ id: string }[]>`
        select net.http_get(url := ${recorder.base + "/slow/500?n="} || n) as id
        from generate_series(1, 8) as n`;
      for (const { id } of ids) await responseFor(sql, id);
      // One after another would take 8 x 500 ms.
      assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
    });

    await t.step("the per-request timeout gives timed_out and an error, no status", async () => {
      const [{ id }] = await sql`select net.http_get(
        url := ${recorder.base + "/slow/2000"}, timeout_milliseconds := 200) as id`;
      const response = await responseFor(sql, id);
      assert.equal(response.timed_out, true);
      assert.equal(response.status_code, null);
      assert.match(response.error_msg!, /Timeout of 200 ms/);
    });

    await t.step("a failed request is recorded once and never retried", async () => {
      const [{ id }] = await sql`select net.http_post(url := ${recorder.base + "/fail"}) as id`;
      const response = await responseFor(sql, id);
      assert.equal(response.status_code, 500);
      assert.equal(response.content, "upstream broke");
      const [{ id: refusedId }] =
        await sql`select net.http_get(url := 'http://127.0.0.1:1/') as id`;
      const refused = await responseFor(sql, refusedId);
      assert.equal(refused.status_code, null);
      assert.equal(refused.timed_out, false);
      assert.ok(refused.error_msg && refused.error_msg.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal(recorder.received.filter((r) => r.path === "/fail").length, 1);
    });

    await t.step(
      "requests committed while the worker is down are sent when it restarts",
      async () => {
        await worker.stop();
        const [{ id }] = await sql`select net.http_post(url := ${
          recorder.base + "/while-down"
        }) as id`;
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(recorder.received.some((r) => r.path === "/while-down"), false);
        worker = startWorker({ databaseUrl: testDbUrl, pollIntervalMs: 200 });
        await worker.ready;
        const response = await responseFor(sql, id);
        assert.equal(response.status_code, 200);
        assert.equal(recorder.received.filter((r) => r.path === "/while-down").length, 1);
      },
    );

    await t.step("the worker outlives its database connections being cut", async () => {
      // What a database restart does to it: every connection of the worker ends at once.
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
                 where datname = ${testDbName} and pid <> pg_backend_pid()`;
      await new Promise((resolve) => setTimeout(resolve, 500));
      const [{ id }] = await sql`select net.http_post(url := ${
        recorder.base + "/after-cut"
      }) as id`;
      const response = await responseFor(sql, id);
      assert.equal(response.status_code, 200);
      assert.equal(recorder.received.filter((r) => r.path === "/after-cut").length, 1);
    });

    await t.step("http_post refuses a non-JSON content type, as pg_net does", async () => {
      await assert.rejects(
        sql`select net.http_post(url := 'http://127.0.0.1:1/', headers := '{"Content-Type": "text/plain"}'::jsonb)`,
        /Content-Type header must be "application\/json"/,
      );
    });
  } finally {
    await worker.stop();
    await recorder.close();
    await sql.end();
  }
});

Deno.test({
  name: "a worker whose database is unreachable (mid-restart) keeps polling instead of dying",
  // postgres.js keeps its reconnect timer for a server it never reached past end().
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    // Nothing listens on port 1: every poll's drain fails, as while the database restarts.
    const worker = startWorker({
      databaseUrl: "postgresql://postgres:postgres@127.0.0.1:1/postgres",
      pollIntervalMs: 100,
    });
    worker.ready.catch(() => {}); // the first LISTEN fails too; postgres.js retries it
    await new Promise((resolve) => setTimeout(resolve, 450));
    await worker.stop();
  },
});
