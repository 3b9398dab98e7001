# Background services of the local platform: pid files in .local/run, logs in .local/logs.
# shellcheck shell=bash

service_pid() { cat "$RUN_DIR/$1.pid" 2>/dev/null; }

service_is_running() {
  local pid
  pid=$(service_pid "$1") && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# service_start NAME CHECK_URL COMMAND...: starts COMMAND unless it runs already, then
# waits until CHECK_URL answers (any HTTP status) or the process dies.
service_start() {
  local name=$1 check_url=$2
  shift 2
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  if ! service_is_running "$name"; then
    if [ -n "$check_url" ] && curl -s -o /dev/null --max-time 2 "$check_url"; then
      die "$name: $check_url already answers but not from this checkout's $name; stop that process first"
    fi
    log "starting $name"
    # A killed service leaves its pid file behind: remove it, or the wait below would take the
    # dead pid for the new process and report it exited.
    rm -f "$RUN_DIR/$name.pid"
    # setsid makes the service a session and process-group leader (so stop can signal its
    # children); the inner shell records its own pid, then becomes the service. The
    # subshell's output goes nowhere, so no caller's pipe is held open.
    (cd "$XNOVU_ROOT" && setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN_DIR/$name.pid" "$@" \
      >>"$LOG_DIR/$name.log" 2>&1 </dev/null &) >/dev/null 2>&1
    local wait_pid=$((SECONDS + 10))
    until [ -s "$RUN_DIR/$name.pid" ] || [ $SECONDS -ge $wait_pid ]; do sleep 0.05; done
  fi
  [ -z "$check_url" ] && return 0
  local deadline=$((SECONDS + 90))
  until curl -s -o /dev/null --max-time 2 "$check_url"; do
    service_is_running "$name" || { tail -30 "$LOG_DIR/$name.log" >&2; die "$name exited during start"; }
    [ $SECONDS -lt $deadline ] || { tail -30 "$LOG_DIR/$name.log" >&2; die "$name did not answer at $check_url"; }
    sleep 0.3
  done
}

service_stop() {
  local name=$1 pid
  pid=$(service_pid "$name") || return 0
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "stopping $name"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$RUN_DIR/$name.pid"
}

deno_service() { echo deno run --allow-all --no-prompt "$@"; }

start_services() {
  # shellcheck disable=SC2046
  service_start pg-net-worker "" $(deno_service local/pg_net/worker.ts)
  if [ -f "$XNOVU_ROOT/local/novu-emulator/main.ts" ]; then
    # shellcheck disable=SC2046
    service_start novu-emulator "$NOVU_API_URL/_emulator/events" $(deno_service local/novu-emulator/main.ts)
  fi
  # The gateway in front of one worker process per function, each under the hosted limits
  # (local/functions-server/limits.ts; README, "Local platform").
  # shellcheck disable=SC2046
  service_start functions "$FUNCTIONS_URL/health" $(deno_service local/functions-server/main.ts)
}

stop_services() {
  for name in functions novu-emulator pg-net-worker; do service_stop "$name"; done
}
