/**
 * Issue 7, findings 1 and 9: oversized and malformed requests to the running functions are
 * answered 4xx with `{ error, message }` naming the problem and the field, and the functions
 * server keeps serving everyone else.
 */
import assert from "node:assert/strict";
import { ENTERPRISE_A, FUNCTIONS_URL, KICK_SECRET } from "../support/env.ts";
import { memberJwt, mintJwt, serviceRoleJwt } from "../support/jwt.ts";

const RECIPIENT = "a0000000-0000-4000-8000-0000000000a9";

/**
 * A connection per request: a server that refuses a body early closes its connection, and a
 * pooled connection reused after that would fail the next request with a broken pipe.
 */
const unpooled = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });

async function post(fn: string, body: BodyInit, jwt: string | null) {
  const response = await fetch(`${FUNCTIONS_URL}/${fn}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(jwt !== null && { authorization: `Bearer ${jwt}` }),
    },
    body,
    client: unpooled,
  });
  const text = await response.text();
  let json: { error?: string; message?: string } = {};
  try {
    json = JSON.parse(text);
  } catch {
    assert.fail(
      `${fn} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
    );
  }
  return { status: response.status, body: json };
}

/**
 * POSTs `megabytes` MB over a raw connection, produced as they are sent, and returns the answer.
 * A server that refuses early closes the connection while the body is still being written (a
 * fetch would report that as a broken pipe), so writing stops quietly at the first failure.
 * `declared` sends a Content-Length header; otherwise the body is chunked.
 */
async function rawPost(path: string, megabytes: number, declared: boolean, token?: string) {
  const { hostname, port, pathname } = new URL(`${FUNCTIONS_URL}/${path}`);
  const search = new URL(`${FUNCTIONS_URL}/${path}`).search;
  const connection = await Deno.connect({ hostname, port: Number(port) });
  const encoder = new TextEncoder();
  const megabyte = encoder.encode("x".repeat(1 << 20));
  const framing = declared ? `content-length: ${megabytes << 20}` : "transfer-encoding: chunked";
  await connection.write(encoder.encode(
    `POST ${pathname}${search} HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${
      token ?? await serviceRoleJwt()
    }\r\ncontent-type: application/json\r\n${framing}\r\nconnection: close\r\n\r\n`,
  ));
  const answer = new Response(connection.readable).arrayBuffer();
  // `write` may take only part of the bytes: the rest would be lost and the framing broken.
  const writeAll = async (bytes: Uint8Array) => {
    for (let offset = 0; offset < bytes.length;) {
      offset += await connection.write(bytes.subarray(offset));
    }
  };
  try {
    for (let sent = 0; sent < megabytes; sent++) {
      if (!declared) await writeAll(encoder.encode(`${(1 << 20).toString(16)}\r\n`));
      await writeAll(megabyte);
      if (!declared) await writeAll(encoder.encode("\r\n"));
    }
    if (!declared) await writeAll(encoder.encode("0\r\n\r\n"));
  } catch {
    // The server answered and closed the connection: the rest of the body is not wanted.
  }
  const text = new TextDecoder().decode(await answer);
  const status = Number(text.split(" ")[1]);
  const json = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as {
    error?: string;
    message?: string;
  };
  return { status, body: json };
}

async function assertHealthy() {
  const response = await fetch(`${FUNCTIONS_URL}/health`, { client: unpooled });
  await response.body?.cancel();
  assert.ok([200, 503].includes(response.status), `health answered ${response.status}`);
}

Deno.test("malformed trigger requests are 4xx naming the problem and the field", async () => {
  const jwt = await serviceRoleJwt();
  const valid = {
    enterprise_id: ENTERPRISE_A,
    workflow_key: "default-in-app",
    recipients: [RECIPIENT],
    // A payload default-in-app accepts, so each case is refused for its own fault.
    payload: { body: "t" },
  };
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const cases: [string, string, number, RegExp][] = [
    [
      "NUL in payload",
      JSON.stringify({ ...valid, payload: { body: "a\u0000b" } }),
      400,
      /^payload: body contains a NUL/,
    ],
    ["NUL in name", JSON.stringify({ ...valid, name: "a\u0000b" }), 400, /^name: contains a NUL/],
    [
      "lone surrogate",
      JSON.stringify(valid).replace('"t"', '"\\ud800"'),
      400,
      /^payload: body contains a lone UTF-16 surrogate/,
    ],
    [
      "1 MB name",
      JSON.stringify({ ...valid, name: "n".repeat(1_000_000) }),
      400,
      /ent_notification_name_at_most_255_characters/,
    ],
    [
      "100,000-deep payload",
      JSON.stringify(valid).replace('{"body":"t"}', `{"deep":${deep}}`),
      400,
      /^payload: deep(\.0)+ is nested deeper than 32 levels/,
    ],
    ["overrides not an object", JSON.stringify({ ...valid, overrides: "x" }), 400, /^overrides: /],
  ];
  for (const [label, body, status, message] of cases) {
    const response = await post("trigger", body, jwt);
    assert.equal(
      response.status,
      status,
      `${label}: ${JSON.stringify(response.body).slice(0, 300)}`,
    );
    assert.ok(response.body.error, label);
    assert.match(response.body.message ?? "", message, label);
  }
  await assertHealthy();
});

Deno.test("a JWT granting a malformed enterprise id is refused with 403, not a 500", async () => {
  const jwt = await mintJwt({
    role: "authenticated",
    sub: crypto.randomUUID(),
    app_metadata: { enterprise_ids: ["x"] },
  });
  const body = JSON.stringify({
    enterprise_id: ENTERPRISE_A,
    workflow_key: "default-in-app",
    recipients: [RECIPIENT],
    payload: {},
  });
  for (const fn of ["trigger", "render"]) {
    const response = await post(
      fn,
      fn === "trigger" ? body : JSON.stringify({ enterprise_id: ENTERPRISE_A, template: "x" }),
      jwt,
    );
    assert.equal(response.status, 403, `${fn}: ${JSON.stringify(response.body)}`);
    assert.equal(response.body.error, "FORBIDDEN");
  }
});

Deno.test("render template ids past what a bigint id can be are 400 naming template", async () => {
  const jwt = await memberJwt([ENTERPRISE_A]);
  for (const id of ["9223372036854775808", "1e300"]) {
    const response = await post(
      "render",
      `{"enterprise_id":"${ENTERPRISE_A}","template":${id}}`,
      jwt,
    );
    assert.equal(response.status, 400, `${id}: ${JSON.stringify(response.body)}`);
    assert.match(response.body.message ?? "", /^template: /);
  }
});

Deno.test("OOM-shaped bodies are refused with 413 and the server stays up (finding 1)", async () => {
  // Three concurrent unsigned 150 MB posts to the public bridge, read in full before the fix.
  for (const declared of [true, false]) {
    const bridge = await Promise.all(
      [1, 2, 3].map(() => rawPost("novu-bridge?action=discover", 150, declared)),
    );
    for (const response of bridge) {
      assert.equal(response.status, 413, JSON.stringify(response.body));
      assert.equal(response.body.error, "PAYLOAD_TOO_LARGE");
    }
    for (const fn of ["trigger", "render", "dispatcher"]) {
      // The dispatcher is started with the kick secret, the others with a JWT.
      const token = fn === "dispatcher" ? KICK_SECRET : undefined;
      const response = await rawPost(fn, 150, declared, token);
      assert.equal(response.status, 413, `${fn}: ${JSON.stringify(response.body)}`);
      assert.match(response.body.message ?? "", /request body exceeds/);
    }
  }
  await assertHealthy();
});
