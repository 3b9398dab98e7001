/**
 * A recorder of what `supabase functions deploy --use-api` uploads, for `./dev check-deploy`.
 * Not a stand-in for anything XNovu runs: it answers only the Supabase Management API calls the
 * CLI (3.1.0) makes while deploying, so the real CLI's own module-graph walk and upload can be
 * observed offline. Calls and shapes from the Management API reference
 * (https://api.supabase.com/api/v1, "Deploy a function": `POST /v1/projects/{ref}/functions/deploy
 * ?slug=<name>`, multipart with one `metadata` part `{ entrypoint_path, import_map_path,
 * static_patterns, verify_jwt, name }` and one `file` part per source file, named by its path).
 */

export interface CapturedDeploy {
  slug: string;
  metadata: {
    entrypoint_path: string;
    import_map_path?: string;
    verify_jwt?: boolean;
    name?: string;
  };
  /** Uploaded path (relative to the project root) -> content. */
  files: Map<string, Uint8Array>;
}

function functionResponse(slug: string, status = 201): Response {
  const now = Date.now();
  return Response.json({
    id: crypto.randomUUID(),
    slug,
    name: slug,
    status: "ACTIVE",
    version: 1,
    created_at: now,
    updated_at: now,
  }, { status });
}

/** Handles the deploy calls, recording every upload into `captured`. */
export function createCaptureHandler(
  captured: CapturedDeploy[],
): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const deploy = url.pathname.match(/^\/v1\/projects\/[a-z]{20}\/functions\/deploy$/);
    if (request.method === "POST" && deploy) {
      const slug = url.searchParams.get("slug");
      if (!slug) return Response.json({ message: "slug is required" }, { status: 400 });
      const form = await request.formData();
      const metadata = JSON.parse(String(form.get("metadata") ?? "null"));
      if (!metadata?.entrypoint_path) {
        return Response.json({ message: "metadata.entrypoint_path is required" }, { status: 400 });
      }
      const files = new Map<string, Uint8Array>();
      for (const part of form.getAll("file")) {
        if (part instanceof File) files.set(part.name, new Uint8Array(await part.arrayBuffer()));
      }
      captured.push({ slug, metadata, files });
      return functionResponse(slug);
    }
    const functionsList = /^\/v1\/projects\/[a-z]{20}\/functions$/.test(url.pathname);
    if (request.method === "GET" && functionsList) return Response.json([]);
    // After deploying several functions the CLI activates them in one bulk update ("Bulk update
    // functions": `PUT /v1/projects/{ref}/functions`, answered `{ functions }`).
    if (request.method === "PUT" && functionsList) {
      return Response.json({ functions: await request.json() });
    }
    if (request.method === "GET" && /^\/v1\/projects\/[a-z]{20}$/.test(url.pathname)) {
      return Response.json({ id: url.pathname.split("/")[3], name: "deploy-check" });
    }
    await request.body?.cancel();
    return Response.json({ message: `not recorded: ${request.method} ${url.pathname}` }, {
      status: 404,
    });
  };
}
