#!/usr/bin/env bash
# The start of a Java replica (bench/replica-start.py) under each set of JVM options below,
# PASSES times in turn (alternated, so every set sees the same machine), ROUNDS starts each.
# Prints one table row per set and pass: median / p90 of port file, SERVING, first reply (ms
# from spawn) and the replica's CPU to its first reply. See docs/benchmarks.md, "Cold start".
# Settings: ROUNDS=5, PASSES=2, ARCHIVE (default: this tree's watcher-java/target/dcf-watcher.jsa),
# WATCHER_JAR (default: this tree's).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
ROUNDS="${ROUNDS:-5}"
PASSES="${PASSES:-2}"
ARCHIVE="${ARCHIVE:-$ROOT/watcher-java/target/dcf-watcher.jsa}"
CDS="-XX:SharedArchiveFile=$ARCHIVE"
SETS=(
  "-XX:+UseSerialGC -Xss512k"
  "-XX:+UseSerialGC -Xss512k $CDS"
  "-Xss512k $CDS"
  "-XX:+UseSerialGC -Xss512k $CDS -XX:TieredStopAtLevel=1"
  "-XX:+UseSerialGC -Xss512k $CDS -XX:-UsePerfData"
  "-XX:+UseSerialGC -Xss512k $CDS -XX:CICompilerCount=2"
  "-XX:+UseSerialGC -Xss512k $CDS -Xshare:auto -XX:-UsePerfData -XX:TieredStopAtLevel=1"
)
echo "load: $(loadavg)" >&2
echo "| JVM options | port file | SERVING | first reply | CPU to first reply |"
echo "|---|---|---|---|---|"
for ((p = 1; p <= PASSES; p++)); do
  for set in "${SETS[@]}"; do
    args=()
    for opt in $set; do args+=("--jvm-opt=$opt"); done
    label="${set//$CDS/CDS}"
    echo "| $("$ROOT/bench/replica-start.py" java --rounds "$ROUNDS" --label "$label" "${args[@]}" 2>/dev/null) |"
  done
done
echo "load: $(loadavg)" >&2
