#!/usr/bin/env bash
# Times cold starts in local mode, for the Java echo (examples/hello-java) and the Python echo
# (bench/python-echo): "create": from the deploy request (source compiled or its environment
# made, the first replica started) to the first reply; "from zero": a function with
# scale {min: 0, zero_after: ZERO_AFTER} left idle until it has no replica, then one call timed
# from request to reply (the call waits in the gateway while a replica starts). See
# docs/benchmarks.md, "Cold start and scale from zero".
#
# Settings (environment):
#   ROUNDS=3        scale-from-zero calls per runtime (each after the function went to zero again)
#   ZERO_AFTER=2s   the functions' scale.zero_after
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
GATEWAY_JAR="$ROOT/gateway-service/target/dcf-gateway.jar"
WATCHER_JAR="$ROOT/watcher-java/target/dcf-watcher.jar"
ROUNDS="${ROUNDS:-3}"
ZERO_AFTER="${ZERO_AFTER:-2s}"

log() { echo "bench: $*" >&2; }
now_ms() { date +%s%3N; }

if [[ ! -f "$GATEWAY_JAR" || ! -f "$WATCHER_JAR" ]]; then
  log "building DCF (jars missing)..."
  (cd "$ROOT" && ./mvnw -q -DskipTests install) >&2
fi

WORK="$(mktemp -d -t dcf-cold-bench.XXXXXX)"
GATEWAY_PID=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
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

# Short windows so that an idle function reaches zero ZERO_AFTER after its last call.
(cd "$ROOT" && exec java -jar "$GATEWAY_JAR" --dcf.gateway.port=0 --dcf.gateway.home="$WORK/home" \
    --dcf.gateway.local.watcher-jar="$WATCHER_JAR" --dcf.gateway.autoscaler.tick=200ms \
    --dcf.gateway.autoscaler.stable-window=6s --dcf.gateway.autoscaler.panic-window=1s \
    --logging.level.io.dcf.gateway.backend.local.LocalFunctionBackend=DEBUG) \
    >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PORT=""
for ((i = 0; i < 1200; i++)); do
  kill -0 "$GATEWAY_PID" 2>/dev/null || { log "the gateway exited while starting"; exit 1; }
  [[ -f "$WORK/home/gateway.pid" ]] && PORT="$(sed -n 's/^port=//p' "$WORK/home/gateway.pid")"
  [[ -n "$PORT" ]] && break
  sleep 0.1
done
[[ -n "$PORT" ]] || { log "the gateway did not publish its port within 120 s"; exit 1; }
TOKEN="$(cat "$WORK/home/token")"
GW="http://127.0.0.1:$PORT"

call() { # name -> prints the HTTP status
  curl -sS -o /dev/null -w '%{http_code}' --max-time 120 -X POST "$GW/function/$1" -d ping
}

replicas() { # name -> the running replica count (0 when the JSON omits it)
  curl -sS --max-time 30 "$GW/system/functions/$1" -H "authorization: Bearer $TOKEN" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin).get("replicas", 0))'
}

deploy() { # name, spec JSON fields, local path
  curl -sS --fail-with-body -o /dev/null --max-time 300 -X POST "$GW/system/functions" \
    -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    -d "{\"spec\":{\"name\":\"$1\",$2,\"scale\":{\"min\":0,\"zeroAfter\":\"$ZERO_AFTER\"}},\"artifact\":{\"localPath\":\"$3\"}}"
}

printf '%-8s %-26s %s\n' runtime measure ms
for runtime in java python; do
  if [[ $runtime == java ]]; then
    fields='"runtime":"java"'
    src="$ROOT/examples/hello-java"
  else
    fields='"runtime":"python","handler":{"file":"handler.py","name":"Handler"}'
    src="$ROOT/bench/python-echo"
  fi
  name="cold-$runtime"
  start=$(now_ms)
  deploy "$name" "$fields" "$src"
  deployed=$(now_ms)
  status="$(call "$name")"
  [[ $status == 200 ]] || { log "$name: the first call answered $status"; exit 1; }
  first=$(now_ms)
  printf '%-8s %-26s %d\n' "$runtime" "create: deploy reply" $((deployed - start))
  printf '%-8s %-26s %d\n' "$runtime" "create: first reply" $((first - start))
  for ((r = 1; r <= ROUNDS; r++)); do
    for ((i = 0; i < 600; i++)); do # up to 60 s to reach zero
      [[ "$(replicas "$name")" == 0 ]] && break
      sleep 0.1
    done
    [[ "$(replicas "$name")" == 0 ]] || { log "$name did not scale to zero"; exit 1; }
    t0=$(now_ms)
    status="$(call "$name")"
    t1=$(now_ms)
    [[ $status == 200 ]] || { log "$name: the call from zero answered $status"; exit 1; }
    printf '%-8s %-26s %d\n' "$runtime" "from zero: reply ($r)" $((t1 - t0))
  done
done
grep -o 'Cold start of function=[^ ]* took [0-9]* ms' "$WORK/gateway.log" >&2 || true
