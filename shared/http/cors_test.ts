import assert from "node:assert/strict";
import { withCors } from "./cors.ts";

const ORIGIN = "http://page.example:8080";

Deno.test("a preflight is answered ok with the CORS headers, without running the function", async () => {
  let ran = 0;
  const handle = withCors(() => {
    ran += 1;
    return new Response("ran");
  });
  const response = await handle(
    new Request("http://functions.test/trigger", {
      method: "OPTIONS",
      headers: {
        origin: ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, x-client-info, apikey, content-type",
      },
    }),
  );
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "ok");
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  const allowed = response.headers.get("access-control-allow-headers")!.split(/,\s*/);
  for (const header of ["authorization", "x-client-info", "apikey", "content-type"]) {
    assert.ok(allowed.includes(header), `${header} is allowed`);
  }
  assert.ok(response.headers.get("access-control-allow-methods")!.split(/,\s*/).includes("POST"));
  assert.equal(ran, 0);
});

Deno.test("every answer carries the CORS headers, errors included, and keeps its own", async () => {
  for (const status of [201, 400, 403, 422, 500]) {
    const handle = withCors(() =>
      Response.json({ error: "E", message: "m" }, {
        status,
        headers: { "x-own": "kept" },
      })
    );
    const response = await handle(
      new Request("http://functions.test/trigger", {
        method: "POST",
        headers: { origin: ORIGIN },
        body: "{}",
      }),
    );
    assert.equal(response.status, status);
    assert.equal(response.headers.get("access-control-allow-origin"), "*", String(status));
    assert.equal(response.headers.get("x-own"), "kept");
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.deepEqual(await response.json(), { error: "E", message: "m" });
  }
});
