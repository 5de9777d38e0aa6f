#!/usr/bin/env bash
# What the gateway's meters cost: bench/run.sh against a gateway with its meters (the
# default) and one with dcf.gateway.metrics.enabled=false (a registry that keeps nothing),
# alternated PAIRS times in this one run so that both see the same machine. Prints each
# run's report, then one line per run: the gateway/direct throughput ratios and the
# gateway's CPU per request. See docs/benchmarks.md, "What the meters cost".
#
# Settings (environment): PAIRS=2, and run.sh's (DURATION, WARMUP, CONCURRENCY, ...);
# SCENARIOS defaults to direct,grpc,http and ROUNDS to 1 here.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
PAIRS="${PAIRS:-2}"
export SCENARIOS="${SCENARIOS:-direct,grpc,http}"
export ROUNDS="${ROUNDS:-1}"
OUT="$(mktemp -d -t dcf-metrics-cost.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

run() { # label, gateway options
  local label="$1" file="$OUT/$1-$2.txt"
  echo "bench: ---- $label (pair $2) ----" >&2
  GATEWAY_OPTS="$3" "$ROOT/bench/run.sh" | tee "$file"
}

summary() { # file: "<grpc ratio> <http ratio> <gateway us/req grpc> <gateway us/req http>"
  local grpc http cpu_grpc cpu_http
  grpc="$(grep -E '^\| gateway gRPC \| [0-9.]+x' "$1" | head -n 1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')"
  http="$(grep -E '^\| gateway HTTP[^|]*\| [0-9.]+x' "$1" | head -n 1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')"
  cpu_grpc="$(grep -E '^\| gateway gRPC \| [0-9]+ \|' "$1" | tail -n 1 | awk -F'|' '{gsub(/ /,"",$5); print $5}')"
  cpu_http="$(grep -E '^\| gateway HTTP[^|]*\| [0-9]+ \|' "$1" | tail -n 1 | awk -F'|' '{gsub(/ /,"",$5); print $5}')"
  echo "$grpc $http $cpu_grpc $cpu_http"
}

for ((pair = 1; pair <= PAIRS; pair++)); do
  run with-meters "$pair" ""
  run without-meters "$pair" "--dcf.gateway.metrics.enabled=false"
done

echo
echo "| run | gateway gRPC / direct | gateway HTTP / direct | gateway CPU us/req gRPC | gateway CPU us/req HTTP |"
echo "|---|---:|---:|---:|---:|"
for ((pair = 1; pair <= PAIRS; pair++)); do
  for label in with-meters without-meters; do
    read -r grpc http cpu_grpc cpu_http <<<"$(summary "$OUT/$label-$pair.txt")"
    echo "| $label $pair | $grpc | $http | $cpu_grpc | $cpu_http |"
  done
done
