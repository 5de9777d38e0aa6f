#!/usr/bin/env bash
# Times `dcf function update-model` in local mode: a MODEL_MIB file uploaded to a function
# with REPLICAS replicas, each round a new version rolled one replica at a time: ROUNDS
# rounds alone, then ROUNDS rounds while CALLERS curl loops call the function (failed calls
# are counted). See docs/benchmarks.md, "update-model".
#
# Settings (environment):
#   MODEL_MIB=100   the model file's size (random bytes)
#   REPLICAS=2      replicas of the function (examples/hello-java; it ignores the model)
#   ROUNDS=3        update-model runs without callers, then as many with callers
#   CALLERS=4       curl loops calling the function during the second ROUNDS rounds
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
GATEWAY_JAR="$ROOT/gateway-service/target/dcf-gateway.jar"
WATCHER_JAR="$ROOT/watcher-java/target/dcf-watcher.jar"
CLI_JAR="$ROOT/cli/target/dcf-cli.jar"
MODEL_MIB="${MODEL_MIB:-100}"
REPLICAS="${REPLICAS:-2}"
ROUNDS="${ROUNDS:-3}"
CALLERS="${CALLERS:-4}"
FUNCTION=hello-java

log() { echo "bench: $*" >&2; }

if [[ ! -f "$GATEWAY_JAR" || ! -f "$WATCHER_JAR" || ! -f "$CLI_JAR" ]]; then
  log "building DCF (jars missing)..."
  (cd "$ROOT" && ./mvnw -q -DskipTests install) >&2
fi

WORK="$(mktemp -d -t dcf-model-bench.XXXXXX)"
GATEWAY_PID=""
CALLER_PIDS=()

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${CALLER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -n "$GATEWAY_PID" ]]; then
    kill -TERM "$GATEWAY_PID" 2>/dev/null || true
    wait "$GATEWAY_PID" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -f "$WORK/gateway.log" ]]; then
    tail -n 30 "$WORK/gateway.log" >&2 || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

(cd "$ROOT" && exec java -jar "$GATEWAY_JAR" --dcf.gateway.port=0 --dcf.gateway.home="$WORK/home" \
    --dcf.gateway.local.watcher-jar="$WATCHER_JAR") >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PORT=""
for ((i = 0; i < 1200; i++)); do
  kill -0 "$GATEWAY_PID" 2>/dev/null || { log "the gateway exited while starting"; exit 1; }
  [[ -f "$WORK/home/gateway.pid" ]] && PORT="$(sed -n 's/^port=//p' "$WORK/home/gateway.pid")"
  [[ -n "$PORT" ]] && break
  sleep 0.1
done
[[ -n "$PORT" ]] || { log "the gateway did not publish its port within 120 s"; exit 1; }
export DCF_HOME="$WORK/home" DCF_GATEWAY="127.0.0.1:$PORT"
dcf() { java -Ddcf.repo="$ROOT" -jar "$CLI_JAR" "$@"; }

curl -sS --fail-with-body --max-time 300 -o /dev/null -X POST "http://127.0.0.1:$PORT/system/functions" \
    -H "authorization: Bearer $(cat "$WORK/home/token")" -H 'content-type: application/json' \
    -d "{\"spec\":{\"name\":\"$FUNCTION\",\"runtime\":\"java\",\"replicas\":$REPLICAS},\"artifact\":{\"localPath\":\"$ROOT/examples/hello-java\"}}"
head -c "$((MODEL_MIB << 20))" /dev/urandom >"$WORK/model.bin"
log "gateway 127.0.0.1:$PORT, $FUNCTION with $REPLICAS replicas, a $MODEL_MIB MiB model, $CALLERS callers"

round() { # label: one update-model, timed as the user sees it (the CLI's JVM start included)
  local start end out version
  start=$(date +%s.%N)
  out="$(dcf function update-model "$FUNCTION" --file "$WORK/model.bin")"
  end=$(date +%s.%N)
  version="$(printf '%s' "$out" | sed -n 's/.*now runs version \([0-9]*\).*/\1/p')"
  printf '| %s | %.2f | %s |\n' "$1" "$(echo "$end - $start" | bc)" "$version"
}

echo "| round | update-model (s) | version |"
echo "|---|---|---|"
for ((r = 1; r <= ROUNDS; r++)); do round "$r, no callers"; done
for ((c = 0; c < CALLERS; c++)); do
  (while true; do
     code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 --data-binary x "http://127.0.0.1:$PORT/function/$FUNCTION")"
     echo "$code" >>"$WORK/calls-$c"
   done) &
  CALLER_PIDS+=($!)
done
for ((r = 1; r <= ROUNDS; r++)); do round "$r, $CALLERS callers"; done
for pid in "${CALLER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
CALLER_PIDS=()
total="$(cat "$WORK"/calls-* | wc -l)"
failed="$(cat "$WORK"/calls-* | grep -cv '^200$' || true)"
echo
echo "calls during the rounds with callers: $total, failed: $failed"
[[ "$failed" -eq 0 ]]
