#!/usr/bin/env bash
# Benchmarks one echo replica (hello-java; FUNCTION=python-echo: the Python echo) called
# directly (gRPC) and through the gateway (gRPC and HTTP, then one echoed stream per frame
# size), in one run, on loopback.
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
#   RATE=0            unary calls per second, paced with at most CONCURRENCY in flight; 0: closed loop
#   GATEWAY_JAR, WATCHER_JAR            other builds to measure (default: this tree's target/)
#   FUNCTION=hello-java                 the echo measured: hello-java or python-echo (bench/stack.sh)
#   GATEWAY_OPTS      extra gateway settings, space-separated (e.g. --dcf.gateway.metrics.enabled=false)
#   JAVA_OPTS_BENCH   extra JVM options for the load generator
#   NICE              see bench/common.sh
#
# Starts a gateway with a temporary DCF_HOME, deploys examples/hello-java, runs the
# generator, and on exit (normal or not) stops the gateway and removes the temp dir.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
# shellcheck source=bench/stack.sh
source "$ROOT/bench/stack.sh"

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
CONCURRENCY="${CONCURRENCY:-16}"
PAYLOAD_BYTES="${PAYLOAD_BYTES:-1024}"
ROUNDS="${ROUNDS:-2}"
HTTP="${HTTP:-h1c}"
PORT="${PORT:-0}"
SCENARIOS="${SCENARIOS:-direct,grpc,http,stream}"
STREAM_FRAMES="${STREAM_FRAMES:-65536,1024}"
RATE="${RATE:-0}"

bench_init bench
need_jars "$GATEWAY_JAR" "$WATCHER_JAR" "$BENCH_JAR"
BENCH_PID=""
bench_cleanup() {
  stop_pid "$BENCH_PID" 5
  stack_stop main $([[ $BENCH_STATUS -ne 0 ]] && echo show-log)
}

# shellcheck disable=SC2086 # GATEWAY_OPTS is a list of options
stack_start main "$GATEWAY_JAR" "$WATCHER_JAR" "$WORK" ${GATEWAY_OPTS:-} || exit 1
GATEWAY_PID="${STACK_GATEWAY_PID[main]}"
REPLICA_PID="${STACK_REPLICA_PID[main]}"
ENDPOINT="${STACK_ENDPOINT[main]}"
GATEWAY_PORT="${STACK_PORT[main]}"
log "running the generator"

# In the background and waited for, so that a SIGTERM to this script is handled at once.
# shellcheck disable=SC2086 # JAVA_OPTS_BENCH is a list of options
"${NICELY[@]}" java ${JAVA_OPTS_BENCH:-} -jar "$BENCH_JAR" --direct="$ENDPOINT" --gateway="127.0.0.1:$GATEWAY_PORT" \
    --function="$STACK_FUNCTION" --concurrency="$CONCURRENCY" --warmup="$WARMUP" --duration="$DURATION" \
    --rounds="$ROUNDS" --payload-bytes="$PAYLOAD_BYTES" --http="$HTTP" \
    --scenarios="$SCENARIOS" --stream-frames="$STREAM_FRAMES" --rate="$RATE" \
    --cpu-pids="gateway=$GATEWAY_PID${REPLICA_PID:+,replica=$REPLICA_PID}" &
BENCH_PID=$!
GENERATOR_STATUS=0
wait "$BENCH_PID" || GENERATOR_STATUS=$?
BENCH_PID=""
exit "$GENERATOR_STATUS"
