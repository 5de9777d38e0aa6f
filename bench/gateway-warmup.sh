#!/usr/bin/env bash
# The gateway's own warm-up: for each JDK and start-up archive setting (dcf up --jvm-cache), a fresh
# gateway per protocol started by `dcf up`, its time from JVM start to serving, then the gateway's CPU
# per request over its first requests, slice by slice, and warm. See docs/benchmarks.md.
#
# Settings (environment); the defaults take about 10 minutes on a quiet 2-core machine:
#   JDKS=/usr/lib/jvm/java-17-openjdk-amd64,/usr/lib/jvm/temurin-25-jdk-amd64   JVMs running the CLI and gateway
#   CACHES=off,auto       --jvm-cache values; "auto" first runs a training session (up, calls, down) that
#                         records the archive, then measures gateways that use it
#   PROTOCOLS=http,grpc   one fresh gateway per protocol (HTTP/1.1 POST /function/, gRPC Gateway/Invoke)
#   SLICE=1000 SLICES=10  the first SLICE x SLICES requests, measured per slice
#   WARMUP=10s WARM=10000 then WARMUP (whole seconds) unmeasured, then WARM requests measured as "warm"
#   TRAINING=2000         requests per protocol in the training session (then WARMUP/2 and SLICE more)
#   CONCURRENCY=16        requests in flight (closed loop), 1 KiB echoed
#   REPLICA_JAVA          the JVM of the echo replica (default: the row's JDK; any JDK 17+ works, handlers
#                         are compiled with --release 17)
#   QUICK=1               a check that the script works, not a measure: SLICE=200 SLICES=2 WARMUP=2s
#                         WARM=500 TRAINING=400 (each still overridable)
#   NICE                  the niceness of the CLI, gateways and generator (bench/common.sh)
# Prints Markdown tables to stdout; logs to stderr. Needs the jars (built if missing).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
if [[ -n "${QUICK:-}" ]]; then
  SLICE="${SLICE:-200}" SLICES="${SLICES:-2}" WARMUP="${WARMUP:-2s}" WARM="${WARM:-500}" TRAINING="${TRAINING:-400}"
fi
JDKS="${JDKS:-/usr/lib/jvm/java-17-openjdk-amd64,/usr/lib/jvm/temurin-25-jdk-amd64}"
CACHES="${CACHES:-off,auto}"
PROTOCOLS="${PROTOCOLS:-http,grpc}"
SLICE="${SLICE:-1000}"
SLICES="${SLICES:-10}"
WARMUP="${WARMUP:-10s}"
WARM="${WARM:-10000}"
TRAINING="${TRAINING:-2000}"
CONCURRENCY="${CONCURRENCY:-16}"
FUNCTION=hello-java
JAVA=java

bench_init gateway-warmup
need_jars "$GATEWAY_JAR" "$WATCHER_JAR" "$CLI_JAR" "$BENCH_JAR"
HOMES=()
bench_cleanup() {
  local h
  for h in "${HOMES[@]}"; do
    [[ -f "$h/gateway.pid" ]] && dcf_cli down --home "$h" >/dev/null 2>&1
  done
}

up() { # home cache: starts a gateway; prints "seconds-from-JVM-start cpu-seconds archive" when it serves
  local home="$1" cache="$2"
  "${NICELY[@]}" "$JAVA" -Ddcf.repo="$ROOT" -jar "$CLI_JAR" up --port 0 --detach --no-examples --wait 600 \
      --jvm-cache "$cache" --home "$home" >"$WORK/up.out" 2>&1 || { cat "$WORK/up.out" >&2; return 1; }
  grep '^dcf up:' "$WORK/up.out" >&2 || true
  local gp ticks started archive=none
  gp="$(home_pid "$home")"
  ticks="$(awk '{print $14 + $15}' "/proc/$gp/stat")"
  started="$(grep -o 'process running for [0-9.]*' "$home/logs/gateway.log" | tail -n 1 | awk '{print $4}')"
  # What the gateway's JVM was given (--jvm-cache auto), and whether it mapped the archive.
  if grep -q -- '-XX:AOTCacheOutput=\|-XX:ArchiveClassesAtExit=' "/proc/$gp/cmdline"; then
    archive=recording
  elif grep -q "$home/cache/gateway-" "/proc/$gp/maps"; then
    archive=mapped
  elif grep -q -- '-XX:AOTCache=\|-XX:SharedArchiveFile=' "/proc/$gp/cmdline"; then
    archive="not mapped"
  fi
  echo "$started $(awk -v t="$ticks" 'BEGIN {printf "%.1f", t / 100}') $archive"
}

undeploy_and_down() {
  local home="$1"
  gateway_manage "$(home_port "$home")" "$(home_token "$home")" DELETE "functions/$FUNCTION" >/dev/null || true
  local t0=$SECONDS
  dcf_cli down --home "$home" >&2
  log "dcf down took $((SECONDS - t0)) s"
}

first_requests() { # home protocol label [more options]
  local home="$1" protocol="$2" label="$3"
  shift 3
  "${NICELY[@]}" "$JAVA" -cp "$BENCH_JAR" io.dcf.bench.FirstRequestsMain --gateway="127.0.0.1:$(home_port "$home")" \
    --gateway-pid="$(home_pid "$home")" --protocol="$protocol" --label="$label" --concurrency="$CONCURRENCY" "$@"
}

train() { # home: a session that records the archive when its gateway exits
  local home="$1" p
  up "$home" auto >/dev/null
  deploy_echo "$(home_port "$home")" "$(home_token "$home")" "$FUNCTION" java >/dev/null
  for p in http grpc; do
    first_requests "$home" "$p" training --slice="$TRAINING" --slices=1 --warmup="$(( ${WARMUP%s} / 2 ))s" \
        --warm="$SLICE" >/dev/null
  done
  undeploy_and_down "$home"
  ls "$home"/cache/gateway-* >/dev/null 2>&1 || log "the training session left no archive in $home/cache"
}

SLICE_ROWS=()
START_ROWS=()
IFS=, read -r -a jdks <<<"$JDKS"
IFS=, read -r -a caches <<<"$CACHES"
IFS=, read -r -a protocols <<<"$PROTOCOLS"
for jdk in "${jdks[@]}"; do
  JAVA="$jdk/bin/java"
  export DCF_GATEWAY_LOCAL_JAVA="${REPLICA_JAVA:-$JAVA}"
  release="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
  for cache in "${caches[@]}"; do
    label="JDK $release, --jvm-cache $cache"
    if [[ "$cache" == auto ]]; then
      home="$WORK/$(basename "$jdk")-auto"
      HOMES+=("$home")
      log "$label: training session (records the archive at exit), load $(loadavg)"
      train "$home"
    fi
    for protocol in "${protocols[@]}"; do
      if [[ "$cache" != auto ]]; then
        home="$WORK/$(basename "$jdk")-$cache-$protocol"
        HOMES+=("$home")
      fi
      log "$label: $protocol, load $(loadavg)"
      started_cpu="$(up "$home" "$cache")"
      read -r started cpu archive <<<"$started_cpu"
      START_ROWS+=("| $label | $protocol | $archive | $started | $cpu | $(cut -d' ' -f1 /proc/loadavg) |")
      log "start: ${START_ROWS[-1]}"
      deploy_echo "$(home_port "$home")" "$(home_token "$home")" "$FUNCTION" java >/dev/null
      while IFS= read -r row; do SLICE_ROWS+=("$row"); done < <(first_requests "$home" "$protocol" "$label" \
          --slice="$SLICE" --slices="$SLICES" --warmup="$WARMUP" --warm="$WARM")
      undeploy_and_down "$home"
    done
  done
done

echo "Start (JVM start to serving, from the gateway's 'process running for'; its CPU until then):"
echo
echo "| gateway | session | archive | seconds to serving | CPU seconds | load (1 min) |"
echo "|---|---|---|---:|---:|---:|"
printf '%s\n' "${START_ROWS[@]}"
echo
echo "Gateway CPU per request, microseconds (others = the rest of the machine per request):"
echo
echo "| gateway | protocol | requests | gateway us/req | req/s | p99 ms | others us/req | errors |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${SLICE_ROWS[@]}"
echo
echo "$SECONDS s in all; load at the end $(loadavg)"
