/**
 * Where local/lib/env.sh puts what PostgreSQL itself opens (it runs as the postgres user): in
 * the checkout when that user can reach it, outside it for a checkout under a private (0700)
 * directory such as root's home, without changing that directory's mode.
 */
import assert from "node:assert/strict";

const ENV_SH = new URL("./env.sh", import.meta.url).pathname;

async function paths(root: string): Promise<Record<string, string>> {
  const names = ["STATE_DIR", "PG_STATE_DIR", "PGDATA", "PG_RUN_DIR", "PG_LOG_DIR"];
  const script = `source "${ENV_SH}"; ${names.map((name) => `echo "$${name}"`).join("; ")}`;
  const output = await new Deno.Command("bash", {
    args: ["-c", script],
    env: { XNOVU_ROOT: root },
  }).output();
  assert(output.success, new TextDecoder().decode(output.stderr));
  const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
  return Object.fromEntries(names.map((name, index) => [name, lines[index]]));
}

async function postgresCanSearch(path: string): Promise<boolean> {
  const { success } = await new Deno.Command("runuser", {
    args: ["-u", "postgres", "--", "test", "-x", path],
  }).output();
  return success;
}

/** The deepest existing directory at or above `path`. */
async function existingAncestor(path: string): Promise<string> {
  let dir = path;
  while (!(await Deno.stat(dir).then(() => true, () => false))) {
    dir = dir.slice(0, dir.lastIndexOf("/")) || "/";
  }
  return dir;
}

Deno.test("a checkout under a 0700 directory keeps the cluster where the postgres user can reach it", async () => {
  const privateHome = await Deno.makeTempDir({ prefix: "xnovu-private-home-" });
  try {
    await Deno.chmod(privateHome, 0o700);
    const root = `${privateHome}/xnovu`;
    await Deno.mkdir(root);
    const found = await paths(root);
    assert.equal(found.STATE_DIR, `${root}/.local`);
    assert(
      !found.PGDATA.startsWith(`${privateHome}/`),
      `PGDATA ${found.PGDATA} is under ${privateHome}`,
    );
    for (const dir of [found.PGDATA, found.PG_RUN_DIR, found.PG_LOG_DIR]) {
      assert(!dir.startsWith(`${privateHome}/`), `${dir} is under the private directory`);
      const reachable = await existingAncestor(dir);
      assert(await postgresCanSearch(reachable), `the postgres user cannot search ${reachable}`);
    }
    // The user's directory keeps its mode.
    assert.equal((await Deno.stat(privateHome)).mode! & 0o777, 0o700);
    // One checkout, however its path is spelt, has one cluster; two never share one.
    assert.equal((await paths(`${privateHome}/./xnovu/`)).PGDATA, found.PGDATA);
    const sibling = `${privateHome}/xnovu-2`;
    await Deno.mkdir(sibling);
    assert.notEqual((await paths(sibling)).PGDATA, found.PGDATA);
  } finally {
    await Deno.remove(privateHome, { recursive: true });
  }
});

Deno.test("a checkout others can traverse keeps the cluster in its own .local, as before", async () => {
  const openParent = await Deno.makeTempDir({ prefix: "xnovu-open-parent-" });
  try {
    await Deno.chmod(openParent, 0o755);
    const root = `${openParent}/xnovu`;
    await Deno.mkdir(root, { mode: 0o755 });
    await Deno.chmod(root, 0o755);
    const found = await paths(root);
    assert.equal(found.PG_STATE_DIR, `${root}/.local`);
    assert.equal(found.PGDATA, `${root}/.local/pgdata`);
    assert.equal(found.PG_RUN_DIR, `${root}/.local/run`);
    assert.equal(found.PG_LOG_DIR, `${root}/.local/logs`);
  } finally {
    await Deno.remove(openParent, { recursive: true });
  }
});
