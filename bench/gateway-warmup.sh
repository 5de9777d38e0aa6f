#!/usr/bin/env bash
# The gateway's own warm-up: for each JDK and start-up archive setting (dcf up --jvm-cache), a fresh
# gateway per protocol started by `dcf up`, its time from JVM start to serving, then the gateway's CPU
# per request over its first requests, slice by slice, and warm. See docs/benchmarks.md.
#
# Settings (environment):
#   JDKS=/usr/lib/jvm/java-17-openjdk-amd64,/usr/lib/jvm/temurin-25-jdk-amd64   JVMs running the CLI and gateway
#   CACHES=off,auto       --jvm-cache values; "auto" first runs a training session (up, calls, down) that
#                         records the archive, then measures gateways that use it
#   PROTOCOLS=http,grpc   one fresh gateway per protocol (HTTP/1.1 POST /function/, gRPC Gateway/Invoke)
#   SLICE=1000 SLICES=10  the first SLICE x SLICES requests, measured per slice
#   WARMUP=20s WARM=20000 then WARMUP unmeasured, then WARM requests measured as "warm"
#   CONCURRENCY=16        requests in flight (closed loop), 1 KiB echoed
#   REPLICA_JAVA          the JVM of the echo replica (default: JDK 17 for every row)
# Prints Markdown tables to stdout; logs to stderr. Needs the jars (./mvnw -DskipTests install).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
JDKS="${JDKS:-/usr/lib/jvm/java-17-openjdk-amd64,/usr/lib/jvm/temurin-25-jdk-amd64}"
CACHES="${CACHES:-off,auto}"
PROTOCOLS="${PROTOCOLS:-http,grpc}"
SLICE="${SLICE:-1000}"
SLICES="${SLICES:-10}"
WARMUP="${WARMUP:-20s}"
WARM="${WARM:-20000}"
CONCURRENCY="${CONCURRENCY:-16}"
export DCF_GATEWAY_LOCAL_JAVA="${REPLICA_JAVA:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}"
BENCH_JAR="$ROOT/bench/target/dcf-bench.jar"
CLI_JAR="$ROOT/cli/target/dcf-cli.jar"
FUNCTION=hello-java
JAVA=java

log() { echo "gateway-warmup: $*" >&2; }

WORK="$(mktemp -d -t dcf-gwwarm.XXXXXX)"
HOMES=()
cleanup() {
  local status=$?
  for h in "${HOMES[@]}"; do
    [[ -f "$h/gateway.pid" ]] && "$JAVA" -jar "$CLI_JAR" down --home "$h" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

dcf() { "$JAVA" -Ddcf.repo="$ROOT" -jar "$CLI_JAR" "$@"; }
port() { sed -n 's/^port=//p' "$1/gateway.pid"; }
pid() { sed -n 's/^pid=//p' "$1/gateway.pid"; }

up() { # home cache: starts a gateway; prints "seconds-from-JVM-start cpu-seconds" when it serves
  local home="$1" cache="$2"
  dcf up --port 0 --detach --no-examples --wait 600 --jvm-cache "$cache" --home "$home" >"$WORK/up.out" 2>&1 \
    || { cat "$WORK/up.out" >&2; return 1; }
  local gp ticks
  gp="$(pid "$home")"
  ticks="$(awk '{print $14 + $15}' "/proc/$gp/stat")"
  local started
  started="$(grep -o 'process running for [0-9.]*' "$home/logs/gateway.log" | tail -n 1 | awk '{print $4}')"
  echo "$started $(awk -v t="$ticks" 'BEGIN {printf "%.1f", t / 100}')"
}

deploy() {
  local home="$1"
  curl -sS --fail-with-body --max-time 300 -o /dev/null -X POST "http://127.0.0.1:$(port "$home")/system/functions" \
    -H "authorization: Bearer $(cat "$home/token")" -H 'content-type: application/json' \
    -d "{\"spec\":{\"name\":\"$FUNCTION\",\"runtime\":\"java\"},\"artifact\":{\"localPath\":\"$ROOT/examples/hello-java\"}}"
}

undeploy_and_down() {
  local home="$1"
  curl -sS --max-time 120 -o /dev/null -X DELETE "http://127.0.0.1:$(port "$home")/system/functions/$FUNCTION" \
    -H "authorization: Bearer $(cat "$home/token")" || true
  dcf down --home "$home" >&2
}

first_requests() { # home protocol label [more options]
  local home="$1" protocol="$2" label="$3"
  shift 3
  "$JAVA" -cp "$BENCH_JAR" io.dcf.bench.FirstRequestsMain --gateway="127.0.0.1:$(port "$home")" \
    --gateway-pid="$(pid "$home")" --protocol="$protocol" --label="$label" --concurrency="$CONCURRENCY" "$@"
}

SLICE_ROWS=()
START_ROWS=()
IFS=, read -r -a jdks <<<"$JDKS"
IFS=, read -r -a caches <<<"$CACHES"
IFS=, read -r -a protocols <<<"$PROTOCOLS"
for jdk in "${jdks[@]}"; do
  JAVA="$jdk/bin/java"
  release="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
  for cache in "${caches[@]}"; do
    label="JDK $release, --jvm-cache $cache"
    if [[ "$cache" == auto ]]; then
      home="$WORK/$(basename "$jdk")-auto"
      HOMES+=("$home")
      log "$label: training session (records the archive at exit)"
      up "$home" auto >/dev/null
      deploy "$home"
      for p in http grpc; do
        first_requests "$home" "$p" training --slice="$SLICE" --slices=2 --warmup=5s --warm="$SLICE" >/dev/null
      done
      undeploy_and_down "$home"
    fi
    for protocol in "${protocols[@]}"; do
      if [[ "$cache" != auto ]]; then
        home="$WORK/$(basename "$jdk")-$cache-$protocol"
        HOMES+=("$home")
      fi
      log "$label: $protocol, load $(cut -d' ' -f1-3 /proc/loadavg)"
      started_cpu="$(up "$home" "$cache")" # waited for: a SIGTERM to this script then stops that gateway too
      read -r started cpu <<<"$started_cpu"
      START_ROWS+=("| $label | $protocol | $started | $cpu | $(cut -d' ' -f1 /proc/loadavg) |")
      log "start: ${START_ROWS[-1]}"
      deploy "$home"
      while IFS= read -r row; do SLICE_ROWS+=("$row"); done < <(first_requests "$home" "$protocol" "$label" \
          --slice="$SLICE" --slices="$SLICES" --warmup="$WARMUP" --warm="$WARM")
      undeploy_and_down "$home"
    done
  done
done

echo "Start (JVM start to serving, from the gateway's 'process running for'; its CPU until then):"
echo
echo "| gateway | session | seconds to serving | CPU seconds | load (1 min) |"
echo "|---|---|---:|---:|---:|"
printf '%s\n' "${START_ROWS[@]}"
echo
echo "Gateway CPU per request, microseconds (others = the rest of the machine per request):"
echo
echo "| gateway | protocol | requests | gateway us/req | req/s | p99 ms | others us/req | errors |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${SLICE_ROWS[@]}"
