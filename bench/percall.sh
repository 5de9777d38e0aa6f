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
#                        and dcf-watcher.jar, "." is this tree's target/ jars; each @OPTION is one
#                        more gateway setting for that build (metrics-cost.sh: the same jars with
#                        and without --dcf.gateway.metrics.enabled=false)
#   ROUNDS=2             each build measured ROUNDS times, alternately
#   DURATION=10 WARMUP=5 CONCURRENCY=16 PAYLOAD_BYTES=1024 HTTP=h1c   as run.sh
#   SCENARIOS=direct,grpc,http
#   PERF_EVENTS=default  perf stat events per process ("" for none; needs perf and permission)
#   GATEWAY_OPTS         extra gateway settings for every build
#   NICE                 niceness of the stacks and the generator (e.g. -10, as root): on a machine
#                        shared with other work, the measured processes get the CPUs first. With
#                        the kernel's autogroups (/proc/sys/kernel/sched_autogroup_enabled = 1)
#                        the CPUs are shared between sessions first, so this session's autogroup
#                        gets the niceness too, for the run only
# Prints each run's report (stderr: progress), then one summary table (stdout).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
BENCH_JAR="$ROOT/bench/target/dcf-bench.jar"
BUILDS="${BUILDS:-current=.}"
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
CONCURRENCY="${CONCURRENCY:-16}"
PAYLOAD_BYTES="${PAYLOAD_BYTES:-1024}"
HTTP="${HTTP:-h1c}"
SCENARIOS="${SCENARIOS:-direct,grpc,http}"
PERF_EVENTS="${PERF_EVENTS-default}"

log() { echo "percall: $*" >&2; }

WORK="$(mktemp -d -t dcf-percall.XXXXXX)"
BENCH_PID=""
# shellcheck source=bench/stack.sh
source "$ROOT/bench/stack.sh"
declare -a LABELS=()
export STACK_NICE="${NICE:-}"

AUTOGROUP_NICE=""
cleanup() {
  local status=$? label
  trap - EXIT INT TERM
  [[ -n "$AUTOGROUP_NICE" ]] && echo "$AUTOGROUP_NICE" >/proc/self/autogroup 2>/dev/null
  stack_stop_pid "$BENCH_PID" 5
  for label in "${LABELS[@]}"; do
    stack_stop "$label" $([[ $status -ne 0 ]] && echo show-log)
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "${NICE:-}" && -w /proc/self/autogroup ]]; then
  AUTOGROUP_NICE="$(sed -n 's/.* nice \(-\?[0-9]*\)$/\1/p' /proc/self/autogroup)"
  echo "$NICE" >/proc/self/autogroup || log "autogroup niceness not set"
fi

if [[ ! -f "$BENCH_JAR" ]]; then
  log "building the generator (bench/target/dcf-bench.jar missing)..."
  (cd "$ROOT" && ./mvnw -q -DskipTests -pl bench -am install) >&2
fi

for entry in $BUILDS; do
  label="${entry%%=*}"
  dir="${entry#*=}"
  IFS=@ read -r -a build_opts <<<"$dir"
  dir="${build_opts[0]}"
  build_opts=("${build_opts[@]:1}")
  if [[ "$dir" == "." ]]; then
    gateway_jar="$ROOT/gateway-service/target/dcf-gateway.jar"
    watcher_jar="$ROOT/watcher-java/target/dcf-watcher.jar"
  else
    gateway_jar="$dir/dcf-gateway.jar"
    watcher_jar="$dir/dcf-watcher.jar"
  fi
  for jar in "$gateway_jar" "$watcher_jar"; do
    [[ -f "$jar" ]] || { log "$label: $jar missing"; exit 1; }
  done
  LABELS+=("$label")
  mkdir -p "$WORK/$label"
  # shellcheck disable=SC2086 # GATEWAY_OPTS is a list of options
  stack_start "$label" "$gateway_jar" "$watcher_jar" "$WORK/$label" ${GATEWAY_OPTS:-} "${build_opts[@]}"
done

for ((round = 1; round <= ROUNDS; round++)); do
  for label in "${LABELS[@]}"; do
    log "round $round: $label (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    echo "## $label, round $round (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
    ${NICE:+nice -n "$NICE"} java -jar "$BENCH_JAR" --direct="${STACK_ENDPOINT[$label]}" --gateway="127.0.0.1:${STACK_PORT[$label]}" \
        --function="$STACK_FUNCTION" --concurrency="$CONCURRENCY" --warmup="$WARMUP" --duration="$DURATION" \
        --rounds=1 --payload-bytes="$PAYLOAD_BYTES" --http="$HTTP" --scenarios="$SCENARIOS" \
        --perf-events="$PERF_EVENTS" \
        --cpu-pids="gateway=${STACK_GATEWAY_PID[$label]},replica=${STACK_REPLICA_PID[$label]}" \
        >"$WORK/$label-$round.md" &
    BENCH_PID=$!
    wait "$BENCH_PID" || log "$label round $round: the generator reported errors (see its report)"
    BENCH_PID=""
    cat "$WORK/$label-$round.md"
    echo
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
    summary "$label" "$round" "$WORK/$label-$round.md"
  done
done
