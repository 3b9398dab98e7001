import assert from "node:assert/strict";
import { type CapturedDeploy, createCaptureHandler } from "./capture-api.ts";

const DEPLOY_URL = "http://api.test/v1/projects/abcdefghijklmnopqrst/functions/deploy";

Deno.test("capture: records a deploy's metadata and each file under its uploaded path", async () => {
  const captured: CapturedDeploy[] = [];
  const handle = createCaptureHandler(captured);
  const form = new FormData();
  form.append("file", new File(["export {};"], "supabase/functions/health/index.ts"));
  form.append("file", new File(['{"imports":{}}'], "deno.json"));
  form.append(
    "metadata",
    JSON.stringify({
      entrypoint_path: "supabase/functions/health/index.ts",
      import_map_path: "deno.json",
      verify_jwt: false,
      name: "health",
    }),
  );
  const response = await handle(
    new Request(`${DEPLOY_URL}?slug=health`, { method: "POST", body: form }),
  );
  assert.equal(response.status, 201);
  assert.equal((await response.json()).slug, "health");
  assert.equal(captured.length, 1);
  assert.equal(captured[0].metadata.import_map_path, "deno.json");
  assert.deepEqual([...captured[0].files.keys()].sort(), [
    "deno.json",
    "supabase/functions/health/index.ts",
  ]);
  assert.equal(new TextDecoder().decode(captured[0].files.get("deno.json")), '{"imports":{}}');
});

Deno.test("capture: a deploy without a slug or an entrypoint, or an unknown call, is refused", async () => {
  const captured: CapturedDeploy[] = [];
  const handle = createCaptureHandler(captured);
  const form = new FormData();
  form.append("metadata", JSON.stringify({ name: "x" }));
  assert.equal((await handle(new Request(DEPLOY_URL, { method: "POST", body: form }))).status, 400);
  const noEntrypoint = new FormData();
  noEntrypoint.append("metadata", JSON.stringify({ name: "x" }));
  assert.equal(
    (await handle(new Request(`${DEPLOY_URL}?slug=x`, { method: "POST", body: noEntrypoint })))
      .status,
    400,
  );
  assert.equal((await handle(new Request("http://api.test/v1/organizations"))).status, 404);
  assert.equal(captured.length, 0);
});
