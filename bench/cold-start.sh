#!/usr/bin/env bash
# Times cold starts in local mode, for the Java echo (examples/hello-java) and the Python echo
# (bench/python-echo), ROUNDS times each, and prints the median and p90 of each measure:
#   create      from the deploy request (source compiled or its environment made, the first
#               replica started) to the first reply; a new function each round, deleted after
#   scale       REST scale 0 -> 1 (POST /system/functions/<fn>/scale on a function without a
#               scale spec, after it reached 0 replicas), then calls every 10 ms until one
#               answers 200: from the scale request to that reply
#   activation  a function with scale {min: 0, zero_after: ZERO_AFTER} left idle until it has no
#               replica, then one call timed from request to reply (it waits in the gateway's
#               activation queue while a replica starts)
# and, for each, "replica": the gateway's own measure of the same starts (the replica's process
# start to its first SERVING, the onColdStart figure). See docs/benchmarks.md, "Cold start".
#
#   bench/cold-start.sh [LABEL[:GATEWAY_JAR[:WATCHER_JAR[:GATEWAY_OPTS]]] ...]
#
# Each argument is one configuration (empty fields: the defaults below); all run side by side in
# this one run, a gateway each, their rounds interleaved, so they see the same machine. E.g.
#   bench/cold-start.sh before:/tmp/old/dcf-gateway.jar:/tmp/old/dcf-watcher.jar after
#   bench/cold-start.sh pool "no-pool:::--dcf.gateway.local.warm-pool=0"
# Settings (environment):
#   ROUNDS=10                   samples per configuration, runtime and measure
#   RUNTIMES=java,python
#   MEASURES=create,scale,activation
#   ZERO_AFTER=2s               the activation functions' scale.zero_after
#   GATEWAY_JAR, WATCHER_JAR    the default builds (this tree's target/)
#   GATEWAY_OPTS                extra gateway settings for every configuration, space-separated
#   NICE                        the gateways' niceness (bench/common.sh)
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"

ROUNDS="${ROUNDS:-10}"
RUNTIMES="${RUNTIMES:-java,python}"
MEASURES="${MEASURES:-create,scale,activation}"
ZERO_AFTER="${ZERO_AFTER:-2s}"

now_ms() { date +%s%3N; }

CONFIGS=("$@")
[[ ${#CONFIGS[@]} -gt 0 ]] || CONFIGS=("this-build")

bench_init cold-start
declare -A PID PORT TOKEN GWLOG
bench_cleanup() {
  local c
  for c in "${!PID[@]}"; do
    kill -TERM "${PID[$c]}" 2>/dev/null || true
  done
  for c in "${!PID[@]}"; do
    wait "${PID[$c]}" 2>/dev/null || true
    if [[ $BENCH_STATUS -ne 0 && -f "${GWLOG[$c]}" ]]; then
      log "last lines of $c's gateway log:"
      tail -n 20 "${GWLOG[$c]}" >&2 || true
    fi
  done
}

start_gateway() { # label, gateway jar, watcher jar, options
  local c="$1" jar="${2:-$GATEWAY_JAR}" watcher="${3:-$WATCHER_JAR}" opts="${4:-}"
  need_jars "$jar" "$watcher"
  GWLOG[$c]="$WORK/$c/gateway.log"
  mkdir -p "$WORK/$c"
  log "$c: gateway $jar, watcher $watcher, options: ${GATEWAY_OPTS:-} $opts"
  # Short windows so that an idle function reaches zero ZERO_AFTER after its last call.
  # shellcheck disable=SC2086 # the options are lists
  gateway_launch "$WORK/$c/home" "${GWLOG[$c]}" "$jar" "$watcher" 0 --dcf.gateway.autoscaler.tick=200ms \
      --dcf.gateway.autoscaler.stable-window=6s --dcf.gateway.autoscaler.panic-window=1s \
      --logging.level.io.dcf.gateway.backend.local.LocalFunctionBackend=DEBUG ${GATEWAY_OPTS:-} $opts
  PID[$c]=$LAUNCHED_PID
}

await_gateway() { # label
  local c="$1"
  PORT[$c]="$(gateway_port "$WORK/$c/home" "${PID[$c]}")" || exit 1
  TOKEN[$c]="$(home_token "$WORK/$c/home")"
}

call() { # label, function -> prints the HTTP status
  curl -sS -o /dev/null -w '%{http_code}' --max-time 120 -X POST "http://127.0.0.1:${PORT[$1]}/function/$2" -d ping
}

manage() { # label, method, path, [JSON body]
  gateway_manage "${PORT[$1]}" "${TOKEN[$1]}" "$2" "$3" "${4:-}"
}

replicas() { # label, function -> the running replica count (0 when the JSON omits it)
  manage "$1" GET "functions/$2" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("replicas", 0))'
}

deploy() { # label, function, runtime, scale JSON or ""
  deploy_echo "${PORT[$1]}" "${TOKEN[$1]}" "$2" "$3" "${4:+\"scale\":$4}" >/dev/null
}

await_zero() { # label, function
  local i
  for ((i = 0; i < 600; i++)); do # up to 60 s
    [[ "$(replicas "$1" "$2")" == 0 ]] && return 0
    sleep 0.1
  done
  log "$1: $2 did not reach zero replicas"
  exit 1
}

replica_ms() { # label, function -> the gateway's last "Cold start" figure for it
  grep -o "Cold start of function=$2 took [0-9]* ms" "${GWLOG[$1]}" | tail -n 1 | grep -o '[0-9]* ms' | grep -o '[0-9]*' \
    || echo -1
}

record() { # label, runtime, measure, ms, function
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$(replica_ms "$1" "$5")" >>"$WORK/samples.tsv"
  log "$1 $2 $3: $4 ms (replica $(replica_ms "$1" "$5") ms)"
}

sample() { # label, runtime, measure, round
  local c="$1" rt="$2" m="$3" r="$4" fn t0 t1 status i
  case "$m" in
    create)
      fn="cold-$rt-$r"
      t0=$(now_ms)
      deploy "$c" "$fn" "$rt" ""
      status="$(call "$c" "$fn")"
      t1=$(now_ms)
      [[ $status == 200 ]] || { log "$c: $fn: the first call answered $status"; exit 1; }
      record "$c" "$rt" create $((t1 - t0)) "$fn"
      manage "$c" DELETE "functions/$fn" >/dev/null ;;
    scale)
      fn="scale-$rt"
      manage "$c" POST "functions/$fn/scale" '{"replicas":0}' >/dev/null
      await_zero "$c" "$fn"
      t0=$(now_ms)
      manage "$c" POST "functions/$fn/scale" '{"replicas":1}' >/dev/null
      for ((i = 0; i < 6000; i++)); do # up to 60 s
        status="$(call "$c" "$fn")"
        [[ $status == 200 ]] && break
        sleep 0.01
      done
      t1=$(now_ms)
      [[ $status == 200 ]] || { log "$c: $fn answered $status 60 s after the scale to 1"; exit 1; }
      record "$c" "$rt" scale $((t1 - t0)) "$fn" ;;
    activation)
      fn="zero-$rt"
      await_zero "$c" "$fn"
      t0=$(now_ms)
      status="$(call "$c" "$fn")"
      t1=$(now_ms)
      [[ $status == 200 ]] || { log "$c: $fn: the call from zero answered $status"; exit 1; }
      record "$c" "$rt" activation $((t1 - t0)) "$fn" ;;
    *) log "unknown measure $m (expected: create, scale, activation)"; exit 2 ;;
  esac
}

LABELS=()
for spec in "${CONFIGS[@]}"; do
  IFS=: read -r label gw watcher opts <<<"$spec"
  [[ $label =~ ^[a-z0-9-]+$ ]] || { log "configuration label '$label': lower-case letters, digits and - only"; exit 2; }
  LABELS+=("$label")
  start_gateway "$label" "$gw" "$watcher" "$opts"
done
IFS=, read -r -a RTS <<<"$RUNTIMES"
IFS=, read -r -a MS <<<"$MEASURES"
for c in "${LABELS[@]}"; do
  await_gateway "$c"
  for rt in "${RTS[@]}"; do
    [[ " ${MS[*]} " == *" scale "* ]] && deploy "$c" "scale-$rt" "$rt" ""
    [[ " ${MS[*]} " == *" activation "* ]] && deploy "$c" "zero-$rt" "$rt" "{\"min\":0,\"zeroAfter\":\"$ZERO_AFTER\"}"
  done
done
log "load average before the first round: $(loadavg)"
for ((r = 1; r <= ROUNDS; r++)); do
  for m in activation scale create; do
    [[ " ${MS[*]} " == *" $m "* ]] || continue
    for rt in "${RTS[@]}"; do
      for c in "${LABELS[@]}"; do
        sample "$c" "$rt" "$m" "$r"
      done
    done
  done
done
log "load average after the last round: $(loadavg)"

python3 - "$WORK/samples.tsv" "${LABELS[@]}" <<'EOF'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
labels = sys.argv[2:]
def p90(v):
    v = sorted(v)
    return v[min(len(v) - 1, round(0.9 * (len(v) - 1)))]
def cell(v):
    return "%d / %d" % (statistics.median(v), p90(v)) if v else "-"
print("| measure | runtime | " + " | ".join("%s: reply (median / p90 ms) | %s: replica start" % (l, l) for l in labels) + " |")
print("|---|---|" + "---|---|" * len(labels))
for m in ("create", "scale", "activation"):
    for rt in ("java", "python"):
        sel = [r for r in rows if r[1] == rt and r[2] == m]
        if not sel:
            continue
        cells = []
        for l in labels:
            mine = [r for r in sel if r[0] == l]
            cells.append(cell([int(r[3]) for r in mine]))
            cells.append(cell([int(r[4]) for r in mine if int(r[4]) >= 0]))
        print("| %s | %s | %s |" % (m, rt, " | ".join(cells)))
print("\n%d samples per cell; %s" % (len(rows) // max(1, len(set((r[0], r[1], r[2]) for r in rows))), open("/proc/loadavg").read().strip()))
EOF
