/**
 * `./dev check-deploy`: proves that `supabase functions deploy --use-api` ships every function
 * intact, offline. The real Supabase CLI deploys every function in supabase/functions to a
 * recorder of the Management API (capture-api.ts); then, for each upload, only the uploaded files
 * are written to an empty folder and `deno check` type-checks the entrypoint there with the
 * uploaded import map: a module the CLI did not upload, an import of the local platform, a bare
 * specifier without an import map, or a verify_jwt that differs from supabase/config.toml fails
 * the check. Prints one line per function; exits non-zero on any failure.
 */
import { parse } from "smol-toml";
import { type CapturedDeploy, createCaptureHandler } from "./capture-api.ts";

const root = new URL("../../", import.meta.url).pathname;
const PROJECT_REF = "xnovudeploycheckxxxx";

async function run(command: string, args: string[], options: Deno.CommandOptions = {}) {
  const output = await new Deno.Command(command, {
    args,
    ...options,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { ok: output.success, text: decode(output.stdout) + decode(output.stderr) };
}

function expectedFunctions(): { name: string; verifyJwt: boolean }[] {
  const config = parse(Deno.readTextFileSync(`${root}supabase/config.toml`)) as {
    functions?: Record<string, { verify_jwt?: boolean }>;
  };
  return [...Deno.readDirSync(`${root}supabase/functions`)]
    .filter((entry) => entry.isDirectory && !entry.name.startsWith("_"))
    .map((entry) => ({
      name: entry.name,
      verifyJwt: config.functions?.[entry.name]?.verify_jwt ?? true,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What is wrong with one upload, checked with nothing but the uploaded files. */
async function problemsOf(
  upload: CapturedDeploy,
  expectedVerifyJwt: boolean,
): Promise<string[]> {
  const problems: string[] = [];
  const paths = [...upload.files.keys()];
  const platform = paths.filter((path) => path.startsWith("local/"));
  if (platform.length > 0) problems.push(`uploads the local platform: ${platform.join(", ")}`);
  if (upload.metadata.verify_jwt !== expectedVerifyJwt) {
    problems.push(
      `verify_jwt ${upload.metadata.verify_jwt}, config.toml says ${expectedVerifyJwt}`,
    );
  }
  const importMap = upload.metadata.import_map_path;
  if (!importMap || !upload.files.has(importMap)) {
    problems.push("no import map uploaded: bare npm specifiers cannot resolve on hosted");
  }
  if (!upload.files.has(upload.metadata.entrypoint_path)) {
    problems.push(`the entrypoint ${upload.metadata.entrypoint_path} is not uploaded`);
  }
  if (problems.length > 0) return problems;

  const folder = await Deno.makeTempDir({ prefix: `xnovu-deploy-${upload.slug}-` });
  try {
    for (const [path, content] of upload.files) {
      const target = `${folder}/${path}`;
      await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
      await Deno.writeFile(target, content);
    }
    // The modules of the function come from the uploaded files only. npm packages come from
    // Deno's cache, at the versions the project's lock file pins (a copy, so the project's own
    // lock is never rewritten); hosted Supabase resolves them from npm at deploy.
    await Deno.copyFile(`${root}deno.lock`, `${folder}/xnovu-check.lock`);
    const checked = await run(Deno.execPath(), [
      "check",
      "--quiet",
      `--config=${folder}/${importMap}`,
      `--lock=${folder}/xnovu-check.lock`,
      // Straight from the npm cache: no node_modules folder to build per function.
      "--node-modules-dir=none",
      `${folder}/${upload.metadata.entrypoint_path}`,
    ], { cwd: folder, env: { DENO_NO_UPDATE_CHECK: "1" } });
    if (!checked.ok) problems.push(`deno check of the upload failed:\n${checked.text.trim()}`);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
  return problems;
}

async function main(): Promise<number> {
  const captured: CapturedDeploy[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createCaptureHandler(captured),
  );
  const workdir = await Deno.makeTempDir({ prefix: "xnovu-deploy-check-" });
  try {
    // A CLI profile (a YAML file given to --profile) points the CLI's API calls at the recorder.
    const profile = `${workdir}/profile.yaml`;
    const apiUrl = `http://127.0.0.1:${server.addr.port}`;
    await Deno.writeTextFile(
      profile,
      [
        "name: xnovu-deploy-check",
        `api_url: ${apiUrl}`,
        `dashboard_url: ${apiUrl}`,
        "project_host: deploy-check.invalid",
        `docs_url: ${apiUrl}`,
        "studio_image: supabase/studio",
        "",
      ].join("\n"),
    );
    const deploy = await run("supabase", [
      "functions",
      "deploy",
      "--use-api",
      `--remote=${PROJECT_REF}`,
      `--profile=${profile}`,
      "--yes",
    ], {
      cwd: root,
      env: {
        // The CLI refuses to run without a personal access token; this one is never sent anywhere
        // but the recorder.
        SUPABASE_ACCESS_TOKEN: `sbp_${"0".repeat(40)}`,
        HOME: workdir,
      },
    });
    if (!deploy.ok) {
      console.error(`supabase functions deploy --use-api failed:\n${deploy.text}`);
      return 1;
    }
    let failures = 0;
    for (const { name, verifyJwt } of expectedFunctions()) {
      const upload = captured.find((entry) => entry.slug === name);
      const problems = upload ? await problemsOf(upload, verifyJwt) : ["the CLI did not deploy it"];
      if (problems.length === 0) {
        console.log(`ok      ${name}: ${upload!.files.size} files, resolves from the upload alone`);
      } else {
        failures += 1;
        console.log(`FAILED  ${name}:\n  ${problems.join("\n  ")}`);
      }
    }
    console.log(
      `check-deploy: ${failures === 0 ? "every function deploys intact" : `${failures} failed`}`,
    );
    return failures === 0 ? 0 : 1;
  } finally {
    await server.shutdown();
    await Deno.remove(workdir, { recursive: true });
  }
}

Deno.exit(await main());
