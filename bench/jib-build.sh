#!/usr/bin/env bash
# Times `dcf function build --builder jib` of the Java echo (the `java` template that
# `dcf function init` writes) straight to a registry, as a user sees it (the CLI's JVM start
# included): round 1 pushes the base's layers too; each later round changes the handler's
# source (one more class in its file), so its classes layer is new, as after an edit. The registry is Debian's
# docker-registry on an ephemeral loopback port with its own configuration; the base is
# runtimes/base/make-jre-base.sh's (this machine's jlink'ed JRE + watcher-java). No Docker.
# See docs/benchmarks.md, "Jib build and push".
#
# Settings (environment):
#   ROUNDS=5   builds after the first one
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
ROUNDS="${ROUNDS:-5}"

bench_init jib-build
command -v docker-registry >/dev/null || { log "docker-registry is not installed (apt-get install docker-registry)"; exit 1; }
need_jars "$WATCHER_JAR" "$CLI_JAR"
REGISTRY_PID=""
bench_cleanup() {
  stop_pid "$REGISTRY_PID" 10
  wait "$REGISTRY_PID" 2>/dev/null || true
  [[ $BENCH_STATUS -ne 0 && -f "$WORK/registry.log" ]] && tail -n 20 "$WORK/registry.log" >&2
}

cat >"$WORK/registry.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $WORK/registry
http:
  addr: 127.0.0.1:0
EOF
docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
REGISTRY_PID=$!
PORT=""
for ((i = 0; i < 600; i++)); do
  kill -0 "$REGISTRY_PID" 2>/dev/null || { log "docker-registry exited while starting"; exit 1; }
  PORT="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/registry.log" | head -1)"
  [[ -n "$PORT" ]] && break
  sleep 0.1
done
[[ -n "$PORT" ]] || { log "docker-registry did not listen within 60 s"; exit 1; }
REGISTRY="127.0.0.1:$PORT"

log "making the java base (make-jre-base.sh)..."
"$ROOT/runtimes/base/make-jre-base.sh" --watcher-jar "$WATCHER_JAR" "$WORK/java-base.tar" >"$WORK/base.log" 2>&1 \
  || { tail -n 20 "$WORK/base.log" >&2; exit 1; }

export DCF_HOME="$WORK/home"
dcf() { (cd "$WORK/fn" && dcf_cli "$@"); }
mkdir -p "$WORK/fn"
dcf function init echo --runtime java >/dev/null
HANDLER="$(find "$WORK/fn/echo" -name '*.java' | head -1)"

build() { # label: one build, timed as the user sees it
  local start end image
  start=$(date +%s.%N)
  image="$(dcf function build --builder jib --registry "$REGISTRY" --insecure-registry \
      --base-image "tar://$WORK/java-base.tar" -q)"
  end=$(date +%s.%N)
  printf '| %s | %.2f | `%s` |\n' "$1" "$(echo "$end - $start" | bc)" "${image##*@}"
}

log "registry $REGISTRY, base $(du -h "$WORK/java-base.tar" | cut -f1), $ROUNDS rounds after the first"
echo "| build | seconds | digest |"
echo "|---|---|---|"
build "1 (base layers pushed too)"
for ((r = 2; r <= ROUNDS + 1; r++)); do
  echo "class BenchRound$r { }" >>"$HANDLER"   # new bytecode: a new classes layer
  build "$r (handler edited)"
done
