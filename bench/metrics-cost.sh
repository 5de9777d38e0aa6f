#!/usr/bin/env bash
# What the gateway's meters cost: bench/percall.sh against two gateways of this tree's build,
# one with its meters (the default) and one with dcf.gateway.metrics.enabled=false (a registry
# that keeps nothing), both started at once and measured alternately, ROUNDS times each, so
# that both see the same machine and both are warm. Prints percall.sh's reports and summary:
# CPU per request of the gateway and the replica, and perf stat counts, per build and round.
# See docs/benchmarks.md, "What the meters cost".
#
# Settings (environment): percall.sh's (ROUNDS=3 here, DURATION, WARMUP, CONCURRENCY, NICE,
# SCENARIOS, PERF_EVENTS, ...); GATEWAY_DIR=. (another build's directory, as in BUILDS).
set -euo pipefail

DIR="${GATEWAY_DIR:-.}"
export ROUNDS="${ROUNDS:-3}"
export BUILDS="with-meters=$DIR without-meters=$DIR@--dcf.gateway.metrics.enabled=false"
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/percall.sh"
