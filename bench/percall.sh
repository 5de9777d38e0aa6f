#!/usr/bin/env bash
# The cost of a call, side by side: CPU time per call of the gateway and the replica, and what
# each asks of the kernel (perf stat: system calls, futex calls, context switches, task-clock),
# for several builds in ONE run. Every build gets its own gateway + hello-java replica, all
# started first and idle while another is measured; the same generator (this tree's) then
# measures them in turn, ROUNDS times, so that every build sees the same machine.
# See docs/benchmarks.md, "The cost of a call".
#
#   cp gateway-service/target/dcf-gateway.jar watcher-java/target/dcf-watcher.jar /tmp/old/
#   cp -r gateway-service/target/lib /tmp/old/             # an older build, saved before a change
#   BUILDS="before=/tmp/old after=." bench/percall.sh
#
# Settings (environment):
#   BUILDS="current=."   label=DIR[@OPTION...] ...: DIR holds dcf-gateway.jar (its lib/ beside it)
#                        and dcf-watcher.jar, "." is GATEWAY_JAR and WATCHER_JAR (default: this
#                        tree's target/ jars); each @OPTION is one
#                        more gateway setting for that build (metrics-cost.sh: the same jars with
#                        and without --dcf.gateway.metrics.enabled=false)
#   ROUNDS=2             each build measured ROUNDS times, alternately
#   DURATION=10 WARMUP=5 CONCURRENCY=16 PAYLOAD_BYTES=1024 HTTP=h1c   as run.sh
#   SCENARIOS=direct,grpc,http
#   RATE=0               unary calls per second, paced (the generator's --rate; at most CONCURRENCY in
#                        flight); 0: a closed loop. Several, space-separated ("0 7000"): each build is
#                        measured at each, in turn, every round (summary rows "label@7000/s")
#   PERF_EVENTS=default  perf stat events per process ("" for none; needs perf and permission)
#   GATEWAY_OPTS         extra gateway settings for every build
#   FUNCTION=hello-java  the echo measured: hello-java or python-echo (bench/stack.sh)
#   NICE                 niceness of the stacks and the generator (bench/common.sh)
# Prints each run's report (stderr: progress), then one summary table (stdout).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
# shellcheck source=bench/stack.sh
source "$ROOT/bench/stack.sh"
BUILDS="${BUILDS:-current=.}"
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
CONCURRENCY="${CONCURRENCY:-16}"
PAYLOAD_BYTES="${PAYLOAD_BYTES:-1024}"
HTTP="${HTTP:-h1c}"
SCENARIOS="${SCENARIOS:-direct,grpc,http}"
PERF_EVENTS="${PERF_EVENTS-default}"
RATE="${RATE:-0}"

bench_init percall
need_jars "$BENCH_JAR"
BENCH_PID=""
declare -a LABELS=()
bench_cleanup() {
  local label
  stop_pid "$BENCH_PID" 5
  for label in "${LABELS[@]}"; do
    stack_stop "$label" $([[ $BENCH_STATUS -ne 0 ]] && echo show-log)
  done
}

for entry in $BUILDS; do
  label="${entry%%=*}"
  dir="${entry#*=}"
  IFS=@ read -r -a build_opts <<<"$dir"
  dir="${build_opts[0]}"
  build_opts=("${build_opts[@]:1}")
  if [[ "$dir" == "." ]]; then
    gateway_jar="$GATEWAY_JAR"
    watcher_jar="$WATCHER_JAR"
  else
    gateway_jar="$dir/dcf-gateway.jar"
    watcher_jar="$dir/dcf-watcher.jar"
  fi
  need_jars "$gateway_jar" "$watcher_jar"
  LABELS+=("$label")
  mkdir -p "$WORK/$label"
  # shellcheck disable=SC2086 # GATEWAY_OPTS is a list of options
  stack_start "$label" "$gateway_jar" "$watcher_jar" "$WORK/$label" ${GATEWAY_OPTS:-} "${build_opts[@]}"
done

# A run's name: the build's label, and the rate when paced
run_name() { [[ "$2" == 0 ]] && echo "$1" || echo "$1@$2/s"; }

for ((round = 1; round <= ROUNDS; round++)); do
  for label in "${LABELS[@]}"; do
    for rate in $RATE; do
      name="$(run_name "$label" "$rate")"
      log "round $round: $name (load: $(loadavg))"
      echo "## $name, round $round (load average before: $(loadavg))"
      "${NICELY[@]}" java -jar "$BENCH_JAR" --direct="${STACK_ENDPOINT[$label]}" --gateway="127.0.0.1:${STACK_PORT[$label]}" \
          --function="$STACK_FUNCTION" --concurrency="$CONCURRENCY" --warmup="$WARMUP" --duration="$DURATION" \
          --rounds=1 --payload-bytes="$PAYLOAD_BYTES" --http="$HTTP" --scenarios="$SCENARIOS" \
          --perf-events="$PERF_EVENTS" --rate="$rate" \
          --cpu-pids="gateway=${STACK_GATEWAY_PID[$label]},replica=${STACK_REPLICA_PID[$label]}" \
          >"$WORK/$label-$rate-$round.md" &
      BENCH_PID=$!
      wait "$BENCH_PID" || log "$name round $round: the generator reported errors (see its report)"
      BENCH_PID=""
      cat "$WORK/$label-$rate-$round.md"
      echo
    done
  done
done

# One line per build, round and scenario, from the reports' "Best round", "CPU time" and "perf stat" tables.
summary() { # label round file
  awk -v build="$1" -v round="$2" -F'|' '
    function trim(s) { gsub(/^ +| +$/, "", s); return s }
    /^Best round/ { section = "best"; next }
    /^CPU time per request/ { section = "cpu"; next }
    /^perf stat per request/ { section = "perf"; next }
    /^[A-Za-z]/ { section = "" }
    /^\| scenario/ { if (section == "perf") { for (i = 3; i < NF; i++) perfhead[i] = trim($i) }; next }
    /^\|---/ { next }
    /^\| / && section == "best" { rps[trim($2)] = trim($4); order[++n] = trim($2) }
    /^\| / && section == "cpu" { cpu[trim($2)] = trim($4) " | " trim($5) " | " trim($6) }
    /^\| / && section == "perf" { line = ""; for (i = 3; i < NF; i++) line = line " | " trim($i); perf[trim($2)] = line }
    END { for (i = 1; i <= n; i++) { s = order[i]; print "| " build " | " round " | " s " | " rps[s] " | " cpu[s] perf[s] " |" } }
  ' "$3"
}

echo "## Summary (CPU in microseconds per call; perf columns per call: see each report for their names)"
echo
echo "| build | round | scenario | req/s | gateway us | replica us | others us | perf stat per call ... |"
echo "|---|---:|---|---:|---:|---:|---:|---|"
for ((round = 1; round <= ROUNDS; round++)); do
  for label in "${LABELS[@]}"; do
    for rate in $RATE; do
      summary "$(run_name "$label" "$rate")" "$round" "$WORK/$label-$rate-$round.md"
    done
  done
done
