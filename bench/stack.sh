# Starts and stops DCF stacks for the benchmarks: a gateway with its own temporary DCF_HOME
# and one deployed echo replica. Sourced by run.sh and percall.sh (bash), after
# bench/common.sh (its gateway helpers, log, and NICE: the gateway and its replicas run at it, and so
# does the replica's autogroup).
#
#   FUNCTION=hello-java the echo deployed: hello-java (examples/hello-java on watcher-java) or
#                       python-echo (bench/python-echo on the Python watcher, which the gateway
#                       finds in --dcf.gateway.local.runtimes-dir, by default this tree's runtimes/)
#   stack_start NAME GATEWAY_JAR WATCHER_JAR WORK_DIR [gateway options...]
#       starts the gateway (log in WORK_DIR/gateway.log), deploys FUNCTION, and sets
#       STACK_GATEWAY_PID[NAME], STACK_PORT[NAME], STACK_ENDPOINT[NAME] (the replica's
#       host:port) and STACK_REPLICA_PID[NAME]; returns 1 (after a log line) on failure.
#       PORT (default 0: a free one) is the gateway's port.
#   stack_stop NAME     stops the gateway (SIGTERM, SIGKILL after 30 s), then the replica
#                       if it outlived the gateway; prints the log's tail when told to.

declare -gA STACK_GATEWAY_PID=() STACK_PORT=() STACK_ENDPOINT=() STACK_REPLICA_PID=() STACK_WORK=()
STACK_FUNCTION="${FUNCTION:-hello-java}"
case "$STACK_FUNCTION" in
  hello-java) STACK_RUNTIME=java ;;
  python-echo) STACK_RUNTIME=python ;;
  *) log "FUNCTION: $STACK_FUNCTION (expected: hello-java or python-echo)"; exit 2 ;;
esac

stack_start() {
  local name="$1" gateway_jar="$2" watcher_jar="$3" work="$4"
  shift 4
  STACK_WORK[$name]="$work"
  log "$name: starting a gateway (DCF_HOME $work/home, log $work/gateway.log)"
  # The direct scenario calls the replica itself: no replica secret.
  gateway_launch "$work/home" "$work/gateway.log" "$gateway_jar" "$watcher_jar" "${PORT:-0}" \
      --dcf.gateway.local.replica-secrets=false "$@"
  STACK_GATEWAY_PID[$name]=$LAUNCHED_PID

  local port status endpoint
  port="$(gateway_port "$work/home" "${STACK_GATEWAY_PID[$name]}")" || return 1
  STACK_PORT[$name]="$port"
  log "$name: gateway serving on 127.0.0.1:$port; deploying $STACK_FUNCTION"

  # management needs the gateway's token (docs/api.md)
  status="$(deploy_echo "$port" "$(home_token "$work/home")" "$STACK_FUNCTION" "$STACK_RUNTIME")"
  endpoint="$(printf '%s' "$status" | grep -o '"endpoint": *"[^"]*"' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')"
  STACK_REPLICA_PID[$name]="$(printf '%s' "$status" | grep -o '"pid": *"\?[0-9]*' | head -n 1 | grep -o '[0-9]*$' || true)"
  if [[ -z "$endpoint" ]]; then
    log "$name: no replica endpoint in the deploy reply: $status"
    return 1
  fi
  STACK_ENDPOINT[$name]="$endpoint"
  log "$name: replica $endpoint (pid ${STACK_REPLICA_PID[$name]:-?})"
  # A replica runs in a session of its own (ReplicaLaunch), so an autogroup of its own: give it NICE too
  if [[ -n "${NICE:-}" && -n "${STACK_REPLICA_PID[$name]:-}" ]]; then
    echo "$NICE" 2>/dev/null >"/proc/${STACK_REPLICA_PID[$name]}/autogroup" || log "$name: the replica's autogroup niceness not set"
  fi
}

stack_stop() { # name [show-log]
  local name="$1" show_log="${2:-}"
  local pid="${STACK_GATEWAY_PID[$name]:-}"
  if [[ -n "$pid" ]]; then
    stop_pid "$pid" 30
    wait "$pid" 2>/dev/null || true
  fi
  stop_pid "${STACK_REPLICA_PID[$name]:-}" 15 # the gateway stops its replicas; this is only a safety net
  if [[ -n "$show_log" && -f "${STACK_WORK[$name]:-}/gateway.log" ]]; then
    log "$name: last lines of the gateway's log:"
    tail -n 30 "${STACK_WORK[$name]}/gateway.log" >&2 || true
  fi
  unset "STACK_GATEWAY_PID[$name]" "STACK_REPLICA_PID[$name]"
}
