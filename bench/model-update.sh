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
#   NICE            the gateway's niceness (bench/common.sh)
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
MODEL_MIB="${MODEL_MIB:-100}"
REPLICAS="${REPLICAS:-2}"
ROUNDS="${ROUNDS:-3}"
CALLERS="${CALLERS:-4}"
FUNCTION=hello-java

bench_init model-update
need_jars "$GATEWAY_JAR" "$WATCHER_JAR" "$CLI_JAR"
GATEWAY_PID=""
CALLER_PIDS=()
bench_cleanup() {
  local pid
  for pid in "${CALLER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_pid "$GATEWAY_PID" 30
  wait "$GATEWAY_PID" 2>/dev/null || true
  if [[ $BENCH_STATUS -ne 0 && -f "$WORK/gateway.log" ]]; then
    tail -n 30 "$WORK/gateway.log" >&2 || true
  fi
}

gateway_launch "$WORK/home" "$WORK/gateway.log" "$GATEWAY_JAR" "$WATCHER_JAR" 0
GATEWAY_PID=$LAUNCHED_PID
PORT="$(gateway_port "$WORK/home" "$GATEWAY_PID")"
export DCF_HOME="$WORK/home" DCF_GATEWAY="127.0.0.1:$PORT"

deploy_echo "$PORT" "$(home_token "$WORK/home")" "$FUNCTION" java "\"replicas\":$REPLICAS" >/dev/null
head -c "$((MODEL_MIB << 20))" /dev/urandom >"$WORK/model.bin"
log "gateway 127.0.0.1:$PORT, $FUNCTION with $REPLICAS replicas, a $MODEL_MIB MiB model, $CALLERS callers"

round() { # label: one update-model, timed as the user sees it (the CLI's JVM start included)
  local start end out version
  start=$(date +%s.%N)
  out="$(dcf_cli function update-model "$FUNCTION" --file "$WORK/model.bin")"
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
