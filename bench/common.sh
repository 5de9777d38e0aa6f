# The prologue the bench scripts share (bash, sourced first by each):
#
#   source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
#   bench_init NAME
#
# sets ROOT (the repository) and the jars (GATEWAY_JAR and WATCHER_JAR: the environment's or this
# tree's; BENCH_JAR, CLI_JAR), and gives every script the same:
#   bench_init NAME       log lines "NAME: ..." on stderr; WORK, a new temporary directory; on exit
#                         (the end, an error, SIGINT: 130, SIGTERM: 143) the script's own
#                         bench_cleanup function, if it has one, runs with BENCH_STATUS set, then the
#                         autogroup's niceness is restored and WORK removed
#   need_jars JAR...      builds this tree (./mvnw -q -DskipTests install) when one of the jars is
#                         missing; fails naming a missing jar that is not this tree's
#   "${NICELY[@]}" CMD... runs CMD at the niceness NICE (below), else as it is (an exec: $! of a
#                         command started in the background is CMD's own pid)
#   loadavg               the load averages (1, 5, 15 min)
#   stop_pid PID SECONDS  SIGTERM, up to SECONDS to exit, then SIGKILL (nothing if PID is empty or gone)
#   gateway_launch HOME LOG GATEWAY_JAR WATCHER_JAR PORT [SETTING...]
#                         starts a gateway (java -jar, in ROOT, at NICE) on DCF_HOME HOME and port PORT
#                         (0: a free one), its output in LOG; sets LAUNCHED_PID
#   gateway_port HOME PID prints the port the gateway PID publishes in HOME/gateway.pid, waiting up to
#                         120 s (a loaded machine starts Spring slowly); fails with a log line
#   home_port HOME, home_pid HOME, home_token HOME   what a gateway's home says of it
#   gateway_manage PORT TOKEN METHOD PATH [JSON]     a management call (/system/PATH), its reply printed
#   deploy_echo PORT TOKEN NAME RUNTIME [SPEC_FIELDS]
#                         deploys the echo of RUNTIME (java: examples/hello-java, python: bench/python-echo)
#                         as NAME, with more spec fields (JSON, e.g. "replicas":2); prints the reply
#   dcf_cli ARG...        the dcf CLI (cli/target/dcf-cli.jar) run by JAVA (default: java on PATH)
#
# Settings (environment) every script honours:
#   NICE   the niceness of the gateways (and so their replicas) and generators the script starts
#          (e.g. -10, as root): on a machine shared with other work, the measured processes get the
#          CPUs first. With the kernel's autogroups (/proc/sys/kernel/sched_autogroup_enabled = 1)
#          the CPUs are shared between sessions first, so this session's autogroup gets the
#          niceness too, for the run only.

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
GATEWAY_JAR="${GATEWAY_JAR:-$ROOT/gateway-service/target/dcf-gateway.jar}"
WATCHER_JAR="${WATCHER_JAR:-$ROOT/watcher-java/target/dcf-watcher.jar}"
BENCH_JAR="$ROOT/bench/target/dcf-bench.jar"
CLI_JAR="$ROOT/cli/target/dcf-cli.jar"
BENCH_NAME=bench
BENCH_STATUS=0
BENCH_AUTOGROUP_NICE=""

log() { echo "$BENCH_NAME: $*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
NICELY=(${NICE:+nice -n "$NICE"})

bench_init() { # name
  BENCH_NAME="$1"
  WORK="$(mktemp -d -t "dcf-$1.XXXXXX")"
  trap bench_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if [[ -n "${NICE:-}" && -w /proc/self/autogroup ]]; then
    BENCH_AUTOGROUP_NICE="$(sed -n 's/.* nice \(-\?[0-9]*\)$/\1/p' /proc/self/autogroup)"
    echo "$NICE" >/proc/self/autogroup || log "autogroup niceness not set"
  fi
}

bench_exit() {
  BENCH_STATUS=$?
  trap - EXIT INT TERM
  if declare -F bench_cleanup >/dev/null; then
    bench_cleanup || true
  fi
  [[ -n "$BENCH_AUTOGROUP_NICE" ]] && echo "$BENCH_AUTOGROUP_NICE" >/proc/self/autogroup 2>/dev/null
  rm -rf "$WORK"
  exit "$BENCH_STATUS"
}

need_jars() { # jar...
  local jar
  for jar in "$@"; do
    if [[ ! -f "$jar" ]]; then
      [[ "$jar" == "$ROOT"/* ]] || { log "$jar is missing"; return 1; }
      log "building DCF ($jar is missing)..."
      (cd "$ROOT" && ./mvnw -q -DskipTests install) >&2
      break
    fi
  done
  for jar in "$@"; do
    [[ -f "$jar" ]] || { log "$jar is missing"; return 1; }
  done
}

stop_pid() { # pid, seconds
  local pid="$1" patience="$2" i
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < patience * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid $pid ignored SIGTERM for ${patience}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

gateway_launch() { # home, log, gateway jar, watcher jar, port, settings...
  local home="$1" out="$2" gateway_jar="$3" watcher_jar="$4" port="$5"
  shift 5
  (cd "$ROOT" && exec "${NICELY[@]}" java -jar "$gateway_jar" --dcf.gateway.port="$port" \
      --dcf.gateway.home="$home" --dcf.gateway.local.watcher-jar="$watcher_jar" "$@") >"$out" 2>&1 &
  LAUNCHED_PID=$!
}

home_port() { sed -n 's/^port=//p' "$1/gateway.pid"; }
home_pid() { sed -n 's/^pid=//p' "$1/gateway.pid"; }
home_token() { cat "$1/token"; }

gateway_port() { # home, pid
  local home="$1" pid="$2" port="" i
  for ((i = 0; i < 1200; i++)); do
    kill -0 "$pid" 2>/dev/null || { log "the gateway (pid $pid, DCF_HOME $home) exited while starting"; return 1; }
    [[ -f "$home/gateway.pid" ]] && port="$(home_port "$home")"
    [[ -n "$port" ]] && { echo "$port"; return 0; }
    sleep 0.1
  done
  log "the gateway (pid $pid, DCF_HOME $home) did not publish its port within 120 s"
  return 1
}

gateway_manage() { # port, token, method, path, [JSON body]
  curl -sS --fail-with-body --max-time 300 -X "$3" "http://127.0.0.1:$1/system/$4" \
    -H "authorization: Bearer $2" -H 'content-type: application/json' ${5:+-d "$5"}
}

deploy_echo() { # port, token, name, runtime, [more spec fields]
  local fields src
  case "$4" in
    java) fields='"runtime":"java"'; src="$ROOT/examples/hello-java" ;;
    python) fields='"runtime":"python","handler":{"file":"handler.py","name":"Handler"}'; src="$ROOT/bench/python-echo" ;;
    *) log "deploy_echo: runtime $4 (expected: java or python)"; return 2 ;;
  esac
  gateway_manage "$1" "$2" POST functions \
    "{\"spec\":{\"name\":\"$3\",$fields${5:+,$5}},\"artifact\":{\"localPath\":\"$src\"}}"
}

dcf_cli() { "${JAVA:-java}" -Ddcf.repo="$ROOT" -jar "$CLI_JAR" "$@"; }
