# The project's own PostgreSQL 15 cluster on 127.0.0.1:54322, shaped like a Supabase database.
# shellcheck shell=bash

as_postgres() { runuser -u postgres -- "$@"; }

psql_db() { psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -X "$@"; }

db_is_running() { [ -f "$PGDATA/postmaster.pid" ] && as_postgres pg_ctl -D "$PGDATA" status >/dev/null 2>&1; }

db_init() {
  [ -f "$PGDATA/PG_VERSION" ] && return 0
  id postgres >/dev/null 2>&1 || die "the 'postgres' system user is missing (Debian's postgresql package creates it)"
  log "initialising the cluster in $PGDATA"
  mkdir -p "$PG_STATE_DIR" && chmod 755 "$PG_STATE_DIR"
  as_postgres test -x "$PG_STATE_DIR" || die "the postgres user cannot reach $PG_STATE_DIR"
  # Initialise into a scratch directory and rename it, so an interrupted run never
  # leaves a half-initialised cluster behind.
  local scratch=$PG_STATE_DIR/pgdata.init
  rm -rf "$scratch" && mkdir -p "$scratch" && chown postgres: "$scratch"
  local pwfile
  pwfile=$(mktemp) && echo postgres >"$pwfile" && chmod 644 "$pwfile"
  as_postgres initdb -D "$scratch" -U postgres --pwfile="$pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  echo "include = 'xnovu.conf'" >>"$scratch/postgresql.conf"
  mv "$scratch" "$PGDATA"
}

# The platform's settings, rewritten on every start so a changed setting applies on restart.
db_write_config() {
  cat >"$PGDATA/xnovu.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $DB_PORT
unix_socket_directories = '$PG_RUN_DIR'
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 16
max_connections = 200
shared_buffers = 256MB
# Short OLTP statements: on fresh, unanalysed tables the planner's estimates trigger LLVM
# compilation that costs more than the query (seconds per test file).
jit = off
logging_collector = off
CONF
  chown postgres: "$PGDATA/xnovu.conf"
}

db_start() {
  db_init
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$PG_RUN_DIR" "$PG_LOG_DIR"
  chown postgres: "$PG_RUN_DIR" "$PG_LOG_DIR" && chmod 755 "$PG_RUN_DIR"
  # A cluster kept outside the checkout still has its log where the other logs are.
  [ "$PG_LOG_DIR" = "$LOG_DIR" ] || ln -sfn "$PG_LOG_DIR/postgres.log" "$LOG_DIR/postgres.log"
  if db_is_running; then
    return 0
  fi
  if pg_isready -h 127.0.0.1 -p "$DB_PORT" -q; then
    die "port $DB_PORT is taken by another PostgreSQL (another checkout's platform?); stop it first"
  fi
  db_write_config
  log "starting PostgreSQL on 127.0.0.1:$DB_PORT"
  touch "$PG_LOG_DIR/postgres.log" && chown postgres: "$PG_LOG_DIR/postgres.log"
  as_postgres pg_ctl -D "$PGDATA" -l "$PG_LOG_DIR/postgres.log" -w -t 60 start >/dev/null \
    || { tail -20 "$PG_LOG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
}

db_stop() {
  db_is_running || return 0
  log "stopping PostgreSQL"
  as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
}

# What hosted Supabase has before any migration: roles, auth helpers, extensions schema,
# pg_net (here its stand-in) and pgmq (here from the crate's embedded installer).
db_prepare_platform() {
  psql_db -f "$XNOVU_ROOT/local/bootstrap.sql"
  local has_pg_net
  has_pg_net=$(psql_db -tAc "select count(*) from pg_available_extensions where name = 'pg_net'")
  if [ "$has_pg_net" = 0 ]; then
    psql_db -f "$XNOVU_ROOT/local/pg_net/pg_net.sql"
  else
    psql_db -c "create extension if not exists pg_net"
  fi
  local pgmq_installed
  pgmq_installed=$(psql_db -tAc "select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'pgmq' and p.proname = 'send'")
  if [ "$pgmq_installed" = 0 ]; then
    log "installing pgmq with the pgmq crate's embedded SQL installer"
    RUST_LOG=warn pgmq-cli install -d "$DATABASE_URL" install-from-embedded >/dev/null
  fi
}

db_migrate() {
  log "applying migrations with the Supabase CLI"
  (cd "$XNOVU_ROOT" && supabase migration up --remote="$DATABASE_URL" --yes >"$LOG_DIR/migrations.log" 2>&1) \
    || { cat "$LOG_DIR/migrations.log" >&2; die "migrations failed"; }
}

# Seeds once per cluster: `./dev reset` gives a fresh one.
db_seed() {
  local marker=$PGDATA/xnovu-seeded
  [ -f "$marker" ] && return 0
  log "loading supabase/seed.sql"
  psql_db -f "$XNOVU_ROOT/supabase/seed.sql" >/dev/null
  touch "$marker"
}

# Publishes the seed's drafts once per cluster, after the services are up to deliver them.
db_publish_demo() {
  local marker=$PGDATA/xnovu-demo-published
  [ -f "$marker" ] && return 0
  log "publishing the demo notifications"
  psql_db -f "$XNOVU_ROOT/local/demo.sql" >/dev/null
  touch "$marker"
}

# Waits until the emulator runs the latest workflows (the novu-sync function's sync), so the
# demo and the tests start from a synced Novu, as a deploy followed by `novu sync` would.
db_wait_for_novu_sync() {
  local waited=0
  until [ "$(psql_db -tAc "select count(*) from notify_internal.workflow_awaiting_novu_sync")" = 0 ]; do
    [ "$waited" -lt 60 ] || die "the Novu sync did not finish within 60 s (see notify_internal.novu_sync and $LOG_DIR/functions.log)"
    sleep 1
    waited=$((waited + 1))
  done
}

# The local fallback of the settings hosted projects keep in Vault.
db_write_local_settings() {
  [ "$(psql_db -tAc "select to_regclass('notify_internal.local_setting') is not null")" = t ] || return 0
  psql_db -c "insert into notify_internal.local_setting (name, value)
    values ('functions_url', '$FUNCTIONS_URL'), ('kick_secret', '$XNOVU_KICK_SECRET')
    on conflict (name) do update set value = excluded.value" >/dev/null
}
