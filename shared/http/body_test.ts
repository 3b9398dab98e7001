import assert from "node:assert/strict";
import { BodyTooLargeError, InvalidJsonError, readBoundedBody, readBoundedJson } from "./body.ts";

function streamOf(chunks: number, chunkBytes: number, pulled: { count: number }): ReadableStream {
  return new ReadableStream({
    pull(controller) {
      if (pulled.count === chunks) return controller.close();
      pulled.count++;
      controller.enqueue(new Uint8Array(chunkBytes));
    },
  });
}

Deno.test("a body within the bound is read whole", async () => {
  const body = await readBoundedBody(
    new Request("http://x/", { method: "POST", body: "hello" }),
    5,
  );
  assert.equal(new TextDecoder().decode(body), "hello");
});

Deno.test("a declared content-length past the bound is refused before a byte is read", async () => {
  const pulled = { count: 0 };
  const request = new Request("http://x/", {
    method: "POST",
    body: streamOf(10, 10, pulled),
    headers: { "content-length": "100" },
  });
  await assert.rejects(readBoundedBody(request, 99), BodyTooLargeError);
  assert.equal(pulled.count, 0);
});

Deno.test("a streamed body is refused as soon as it passes the bound, without reading the rest", async () => {
  const pulled = { count: 0 };
  const request = new Request("http://x/", { method: "POST", body: streamOf(1000, 1024, pulled) });
  await assert.rejects(readBoundedBody(request, 4096), (error: unknown) => {
    assert.ok(error instanceof BodyTooLargeError);
    assert.equal(error.message, "request body exceeds 4096 bytes");
    return true;
  });
  assert.ok(pulled.count <= 6, `read ${pulled.count} chunks`);
});

Deno.test("JSON bodies must be UTF-8 and JSON, and say which they are not", async () => {
  const post = (body: BodyInit) => new Request("http://x/", { method: "POST", body });
  assert.deepEqual(await readBoundedJson(post('{"a":1}')), { a: 1 });
  await assert.rejects(readBoundedJson(post(new Uint8Array([0x7b, 0xff, 0x7d]))), {
    name: "InvalidJsonError",
    message: "request body is not valid UTF-8",
  });
  await assert.rejects(readBoundedJson(post("{nope")), InvalidJsonError);
});
