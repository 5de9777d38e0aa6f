#!/usr/bin/env bash
# Benchmarks one hello-java replica called directly (gRPC) and through the gateway
# (gRPC and HTTP, then one echoed stream per frame size), in one run, on loopback.
# See docs/benchmarks.md.
#
# Settings (environment):
#   DURATION=15       measured seconds per scenario and round
#   WARMUP=5          unmeasured seconds before each measured phase
#   CONCURRENCY=16    requests in flight (closed loop)
#   PAYLOAD_BYTES=1024
#   ROUNDS=2          the scenarios run one after another, ROUNDS times
#   HTTP=h1c          h1c (HTTP/1.1 keep-alive) or h2c for the gateway HTTP scenario
#   PORT=0            the gateway's port; 0 picks a free one
#   SCENARIOS=direct,grpc,http,stream   which scenarios run
#   STREAM_FRAMES=65536,1024            frame sizes of the stream scenario (bytes)
#   GATEWAY_JAR, WATCHER_JAR            other builds to measure (default: this tree's target/)
#   GATEWAY_OPTS      extra gateway settings, space-separated (e.g. --dcf.gateway.metrics.enabled=false)
#   JAVA_OPTS_BENCH   extra JVM options for the load generator
#
# Starts a gateway with a temporary DCF_HOME, deploys examples/hello-java, runs the
# generator, and on exit (normal or not) stops the gateway and removes the temp dir.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
GATEWAY_JAR="${GATEWAY_JAR:-$ROOT/gateway-service/target/dcf-gateway.jar}"
WATCHER_JAR="${WATCHER_JAR:-$ROOT/watcher-java/target/dcf-watcher.jar}"
BENCH_JAR="$ROOT/bench/target/dcf-bench.jar"

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
CONCURRENCY="${CONCURRENCY:-16}"
PAYLOAD_BYTES="${PAYLOAD_BYTES:-1024}"
ROUNDS="${ROUNDS:-2}"
HTTP="${HTTP:-h1c}"
PORT="${PORT:-0}"
SCENARIOS="${SCENARIOS:-direct,grpc,http,stream}"
STREAM_FRAMES="${STREAM_FRAMES:-65536,1024}"
FUNCTION=hello-java

log() { echo "bench: $*" >&2; }

if [[ ! -f "$GATEWAY_JAR" || ! -f "$WATCHER_JAR" || ! -f "$BENCH_JAR" ]]; then
  log "building DCF (jars missing)..."
  (cd "$ROOT" && ./mvnw -q -DskipTests install) >&2
fi

WORK="$(mktemp -d -t dcf-bench.XXXXXX)"
GATEWAY_PID=""
REPLICA_PID=""
BENCH_PID=""

stop_pid() { # pid, seconds: SIGTERM, wait, then SIGKILL
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

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$BENCH_PID" 5
  if [[ -n "$GATEWAY_PID" ]]; then
    stop_pid "$GATEWAY_PID" 30
    wait "$GATEWAY_PID" 2>/dev/null || true
  fi
  stop_pid "$REPLICA_PID" 15 # the gateway stops its replicas; this is only a safety net
  if [[ $status -ne 0 && -f "$WORK/gateway.log" ]]; then
    log "failed ($status); last lines of the gateway's log:"
    tail -n 30 "$WORK/gateway.log" >&2 || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting a gateway (DCF_HOME $WORK/home, log $WORK/gateway.log)"
(cd "$ROOT" && exec java -jar "$GATEWAY_JAR" --dcf.gateway.port="$PORT" --dcf.gateway.home="$WORK/home" \
    --dcf.gateway.local.watcher-jar="$WATCHER_JAR" \
    --dcf.gateway.local.replica-secrets=false ${GATEWAY_OPTS:-}) >"$WORK/gateway.log" 2>&1 & # the direct scenario calls the replica itself
GATEWAY_PID=$!

GATEWAY_PORT=""
for ((i = 0; i < 1200; i++)); do # up to 120 s: a busy 2-core machine starts Spring slowly
  if ! kill -0 "$GATEWAY_PID" 2>/dev/null; then
    log "the gateway exited while starting"
    exit 1
  fi
  if [[ -f "$WORK/home/gateway.pid" ]]; then
    GATEWAY_PORT="$(sed -n 's/^port=//p' "$WORK/home/gateway.pid")"
    [[ -n "$GATEWAY_PORT" ]] && break
  fi
  sleep 0.1
done
if [[ -z "$GATEWAY_PORT" ]]; then
  log "the gateway did not publish its port within 120 s"
  exit 1
fi
log "gateway serving on 127.0.0.1:$GATEWAY_PORT; deploying $FUNCTION"

TOKEN="$(cat "$WORK/home/token")" # management needs the gateway's token (docs/api.md)
STATUS_JSON="$(curl -sS --fail-with-body --max-time 300 -X POST "http://127.0.0.1:$GATEWAY_PORT/system/functions" \
    -H "authorization: Bearer $TOKEN" \
    -H 'content-type: application/json' \
    -d "{\"spec\":{\"name\":\"$FUNCTION\",\"runtime\":\"java\"},\"artifact\":{\"localPath\":\"$ROOT/examples/hello-java\"}}")"
ENDPOINT="$(printf '%s' "$STATUS_JSON" | grep -o '"endpoint": *"[^"]*"' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')"
REPLICA_PID="$(printf '%s' "$STATUS_JSON" | grep -o '"pid": *"\?[0-9]*' | head -n 1 | grep -o '[0-9]*$' || true)"
if [[ -z "$ENDPOINT" ]]; then
  log "no replica endpoint in the deploy reply: $STATUS_JSON"
  exit 1
fi
log "replica $ENDPOINT (pid ${REPLICA_PID:-?}); running the generator"

# In the background and waited for, so that a SIGTERM to this script is handled at once.
# shellcheck disable=SC2086 # JAVA_OPTS_BENCH is a list of options
java ${JAVA_OPTS_BENCH:-} -jar "$BENCH_JAR" --direct="$ENDPOINT" --gateway="127.0.0.1:$GATEWAY_PORT" \
    --function="$FUNCTION" --concurrency="$CONCURRENCY" --warmup="$WARMUP" --duration="$DURATION" \
    --rounds="$ROUNDS" --payload-bytes="$PAYLOAD_BYTES" --http="$HTTP" \
    --scenarios="$SCENARIOS" --stream-frames="$STREAM_FRAMES" \
    --cpu-pids="gateway=$GATEWAY_PID${REPLICA_PID:+,replica=$REPLICA_PID}" &
BENCH_PID=$!
BENCH_STATUS=0
wait "$BENCH_PID" || BENCH_STATUS=$?
BENCH_PID=""
exit "$BENCH_STATUS"
