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

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
WATCHER_JAR="$ROOT/watcher-java/target/dcf-watcher.jar"
CLI_JAR="$ROOT/cli/target/dcf-cli.jar"
ROUNDS="${ROUNDS:-5}"

log() { echo "bench: $*" >&2; }

command -v docker-registry >/dev/null || { log "docker-registry is not installed (apt-get install docker-registry)"; exit 1; }
if [[ ! -f "$WATCHER_JAR" || ! -f "$CLI_JAR" ]]; then
  log "building DCF (jars missing)..."
  (cd "$ROOT" && ./mvnw -q -DskipTests install) >&2
fi

WORK="$(mktemp -d -t dcf-jib-bench.XXXXXX)"
REGISTRY_PID=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$REGISTRY_PID" ]]; then
    kill -TERM "$REGISTRY_PID" 2>/dev/null || true
    wait "$REGISTRY_PID" 2>/dev/null || true
  fi
  [[ $status -ne 0 && -f "$WORK/registry.log" ]] && tail -n 20 "$WORK/registry.log" >&2
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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
dcf() { (cd "$WORK/fn" && java -Ddcf.repo="$ROOT" -jar "$CLI_JAR" "$@"); }
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
