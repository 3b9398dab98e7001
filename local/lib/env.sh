# Shared settings of the local platform. Sourced by ./dev and the local/ scripts.
# shellcheck shell=bash

XNOVU_ROOT=${XNOVU_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export XNOVU_ROOT

# Installs that are slow to rebuild live outside the clone and are shared by every checkout.
XNOVU_CACHE=${XNOVU_CACHE:-$HOME/.cache/xnovu}
DENO_VERSION=2.5.6
SUPABASE_CLI_VERSION=3.1.0
PGMQ_CRATE_VERSION=0.33.7
TOOLS_DIR=$XNOVU_CACHE/tools-deno$DENO_VERSION-supabase$SUPABASE_CLI_VERSION
PGMQ_DIR=$XNOVU_CACHE/pgmq-$PGMQ_CRATE_VERSION
PG_BIN=/usr/lib/postgresql/15/bin
# node_modules/deno holds the deno binary itself (.bin/deno is a node shim around it).
export PATH=$TOOLS_DIR/node_modules/deno:$TOOLS_DIR/node_modules/.bin:$PGMQ_DIR/bin:$PG_BIN:$PATH

# Per-checkout state: cluster data, logs, pid files (ignored by git).
STATE_DIR=$XNOVU_ROOT/.local
RUN_DIR=$STATE_DIR/run
LOG_DIR=$STATE_DIR/logs
# The Novu emulator's own data (the workflows of the last sync), kept across ./dev down / up as
# Novu Cloud keeps them; ./dev reset deletes it with the database.
NOVU_STATE_DIR=$STATE_DIR/novu

# True when a user that is neither owner nor group member (the postgres user) may search every
# directory from / down to $1.
others_can_traverse() {
  local dir
  dir=$(cd "$1" && pwd -P) || return 1
  while :; do
    [ -n "$(find "$dir" -maxdepth 0 -perm -o=x 2>/dev/null)" ] || return 1
    [ "$dir" = / ] && return 0
    dir=$(dirname "$dir")
  done
}

# What PostgreSQL (running as the postgres user) itself opens: the cluster, its socket directory
# and its log. In the checkout when the postgres user can reach it; a checkout under a private
# directory (root's home is 0700) keeps them in /var/lib/xnovu/<checkout>-<hash of its path>
# instead, so no directory of the user's is opened up.
if others_can_traverse "$XNOVU_ROOT"; then
  PG_STATE_DIR=$STATE_DIR
  PG_RUN_DIR=$RUN_DIR
  PG_LOG_DIR=$LOG_DIR
else
  PG_STATE_DIR=$(cd "$XNOVU_ROOT" && pwd -P)
  PG_STATE_DIR=/var/lib/xnovu/$(basename "$PG_STATE_DIR")-$(printf %s "$PG_STATE_DIR" | sha256sum | cut -c1-12)
  PG_RUN_DIR=$PG_STATE_DIR/run
  PG_LOG_DIR=$PG_STATE_DIR/logs
fi
PGDATA=$PG_STATE_DIR/pgdata

# The ports and credentials `supabase start` uses.
export DB_PORT=54322
export FUNCTIONS_PORT=54321
export NOVU_EMULATOR_PORT=54329
export DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:$DB_PORT/postgres
export SUPABASE_DB_URL=$DATABASE_URL
export SUPABASE_URL=http://127.0.0.1:$FUNCTIONS_PORT
export FUNCTIONS_URL=$SUPABASE_URL/functions/v1
export SUPABASE_JWT_SECRET=super-secret-jwt-token-with-at-least-32-characters-long
# The Supabase CLI's well-known local demo keys, signed with the secret above.
export SUPABASE_ANON_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0
export SUPABASE_SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU
# Novu Cloud's stand-in: the same key is the API key and the bridge's HMAC secret, as in Novu.
export NOVU_SECRET_KEY=xnovu-local-novu-secret
# The database's kicks carry this secret to the dispatcher and the rules engine (shared/http/kick.ts);
# the same value is the kick_secret setting db_write_local_settings writes.
export XNOVU_KICK_SECRET=xnovu-local-kick-secret
export NOVU_API_URL=http://127.0.0.1:$NOVU_EMULATOR_PORT
export NOVU_BRIDGE_URL=$FUNCTIONS_URL/novu-bridge
export NOVU_EMULATOR_WORKFLOWS_FILE=$NOVU_STATE_DIR/workflows.json
# The signing secret of the Novu webhook endpoint (whsec_ + base64): the novu-webhook function
# verifies with it and the emulator signs with it, as Svix does for Novu Cloud.
export NOVU_WEBHOOK_SECRET=whsec_eG5vdnUgbG9jYWwgbm92dSB3ZWJob29rIHNlY3JldCE=
# Where the emulator sends Novu's message webhooks (Novu dashboard -> Webhooks -> endpoint);
# set it empty to send none.
export NOVU_WEBHOOK_URL=${NOVU_WEBHOOK_URL-$FUNCTIONS_URL/novu-webhook}
export DENO_NO_UPDATE_CHECK=1
export RUST_BACKTRACE=0
# Trust the machine's CA bundle (registries may sit behind a TLS-inspecting proxy).
export DENO_TLS_CA_STORE=system

log() { printf '\033[1;34m[xnovu]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[xnovu] %s\033[0m\n' "$*" >&2; exit 1; }
