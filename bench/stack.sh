# Starts and stops DCF stacks for the benchmarks: a gateway with its own temporary DCF_HOME
# and one deployed examples/hello-java replica. Sourced by run.sh and percall.sh (bash).
#
#   stack_start NAME GATEWAY_JAR WATCHER_JAR WORK_DIR [gateway options...]
#       starts the gateway (log in WORK_DIR/gateway.log), deploys hello-java, and sets
#       STACK_GATEWAY_PID[NAME], STACK_PORT[NAME], STACK_ENDPOINT[NAME] (the replica's
#       host:port) and STACK_REPLICA_PID[NAME]; returns 1 (after a log line) on failure.
#   stack_stop NAME     stops the gateway (SIGTERM, SIGKILL after 30 s), then the replica
#                       if it outlived the gateway; prints the log's tail when told to.
#
# Needs ROOT (the repository) and a log function. STACK_NICE (e.g. -10), when set, runs the
# gateway (and so its replicas) at that niceness: on a machine shared with other work, the
# measured processes then get the CPUs first (negative values need root).

declare -gA STACK_GATEWAY_PID=() STACK_PORT=() STACK_ENDPOINT=() STACK_REPLICA_PID=() STACK_WORK=()
STACK_FUNCTION=hello-java

stack_stop_pid() { # pid, seconds: SIGTERM, wait, then SIGKILL
  local pid="$1" patience="$2"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < patience * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid $pid ignored SIGTERM for ${patience}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

stack_start() {
  local name="$1" gateway_jar="$2" watcher_jar="$3" work="$4"
  shift 4
  STACK_WORK[$name]="$work"
  log "$name: starting a gateway (DCF_HOME $work/home, log $work/gateway.log)"
  # The direct scenario calls the replica itself: no replica secret.
  (cd "$ROOT" && exec ${STACK_NICE:+nice -n "$STACK_NICE"} java -jar "$gateway_jar" --dcf.gateway.port="${PORT:-0}" --dcf.gateway.home="$work/home" \
      --dcf.gateway.local.watcher-jar="$watcher_jar" \
      --dcf.gateway.local.replica-secrets=false "$@") >"$work/gateway.log" 2>&1 &
  STACK_GATEWAY_PID[$name]=$!

  local port="" i
  for ((i = 0; i < 1200; i++)); do # up to 120 s: a busy 2-core machine starts Spring slowly
    if ! kill -0 "${STACK_GATEWAY_PID[$name]}" 2>/dev/null; then
      log "$name: the gateway exited while starting"
      return 1
    fi
    if [[ -f "$work/home/gateway.pid" ]]; then
      port="$(sed -n 's/^port=//p' "$work/home/gateway.pid")"
      [[ -n "$port" ]] && break
    fi
    sleep 0.1
  done
  if [[ -z "$port" ]]; then
    log "$name: the gateway did not publish its port within 120 s"
    return 1
  fi
  STACK_PORT[$name]="$port"
  log "$name: gateway serving on 127.0.0.1:$port; deploying $STACK_FUNCTION"

  local token status endpoint
  token="$(cat "$work/home/token")" # management needs the gateway's token (docs/api.md)
  status="$(curl -sS --fail-with-body --max-time 300 -X POST "http://127.0.0.1:$port/system/functions" \
      -H "authorization: Bearer $token" \
      -H 'content-type: application/json' \
      -d "{\"spec\":{\"name\":\"$STACK_FUNCTION\",\"runtime\":\"java\"},\"artifact\":{\"localPath\":\"$ROOT/examples/hello-java\"}}")"
  endpoint="$(printf '%s' "$status" | grep -o '"endpoint": *"[^"]*"' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')"
  STACK_REPLICA_PID[$name]="$(printf '%s' "$status" | grep -o '"pid": *"\?[0-9]*' | head -n 1 | grep -o '[0-9]*$' || true)"
  if [[ -z "$endpoint" ]]; then
    log "$name: no replica endpoint in the deploy reply: $status"
    return 1
  fi
  STACK_ENDPOINT[$name]="$endpoint"
  log "$name: replica $endpoint (pid ${STACK_REPLICA_PID[$name]:-?})"
}

stack_stop() { # name [show-log]
  local name="$1" show_log="${2:-}"
  local pid="${STACK_GATEWAY_PID[$name]:-}"
  if [[ -n "$pid" ]]; then
    stack_stop_pid "$pid" 30
    wait "$pid" 2>/dev/null || true
  fi
  stack_stop_pid "${STACK_REPLICA_PID[$name]:-}" 15 # the gateway stops its replicas; this is only a safety net
  if [[ -n "$show_log" && -f "${STACK_WORK[$name]:-}/gateway.log" ]]; then
    log "$name: last lines of the gateway's log:"
    tail -n 30 "${STACK_WORK[$name]}/gateway.log" >&2 || true
  fi
  unset "STACK_GATEWAY_PID[$name]" "STACK_REPLICA_PID[$name]"
}
