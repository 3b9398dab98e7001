# Installs what the local platform needs, each step skipped when already done.
# shellcheck shell=bash

# chromium: the headless browser the demo page and browser-invoke e2e tests drive through
# playwright-core.
apt_packages=(postgresql-15 postgresql-15-cron postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl chromium)

install_apt_packages() {
  local missing=()
  for pkg in "${apt_packages[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_node_tools() {
  [ -x "$TOOLS_DIR/node_modules/.bin/deno" ] && [ -x "$TOOLS_DIR/node_modules/.bin/supabase" ] && return 0
  log "installing deno@$DENO_VERSION and supabase@$SUPABASE_CLI_VERSION from npm into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  echo '{ "private": true }' >"$TOOLS_DIR/package.json"
  # Both ship their binaries as platform packages (optionalDependencies), so no
  # install script has to download anything.
  (cd "$TOOLS_DIR" && npm install --no-audit --no-fund --loglevel=error \
    "deno@$DENO_VERSION" "supabase@$SUPABASE_CLI_VERSION" >/dev/null)
  "$TOOLS_DIR/node_modules/.bin/deno" --version >/dev/null || die "deno did not install"
  "$TOOLS_DIR/node_modules/.bin/supabase" --version >/dev/null || die "supabase CLI did not install"
}

install_pgmq_installer() {
  [ -x "$PGMQ_DIR/bin/pgmq-cli" ] && return 0
  log "building the pgmq crate's SQL-only installer (pgmq $PGMQ_CRATE_VERSION, once per machine)"
  command -v cargo >/dev/null || die "cargo is required to build the pgmq installer"
  cargo install pgmq --version "$PGMQ_CRATE_VERSION" --locked --features cli \
    --root "$PGMQ_DIR" --quiet
}

install_project_packages() {
  # npm packages Deno resolves from node_modules (nodeModulesDir: auto).
  (cd "$XNOVU_ROOT" && deno install --quiet) || die "deno install failed"
}

install_all() {
  install_apt_packages "$@"
  install_node_tools
  install_pgmq_installer
  install_project_packages
}
