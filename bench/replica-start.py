#!/usr/bin/python3
"""Times a replica's start alone, without a gateway: spawn -> port file -> SERVING -> first reply.

Starts the Java watcher (examples/hello-java, compiled once into a temp dir) or the Python
watcher (bench/python-echo) ROUNDS times, one after another, with the contract's environment;
polls the standard health service every 2 ms and sends one Watcher/Call as soon as it says
SERVING. Prints one line per round, then the median and p90 of each column, and the CPU the
replica used up to its first reply (user + system, from /proc/<pid>/stat). A Python client, so
the probe itself starts no JVM. See docs/benchmarks.md, "Where a replica's start goes".

  bench/replica-start.py java [--rounds N] [--jvm-opt=-XX:TieredStopAtLevel=1 ...] [--java PATH]
  bench/replica-start.py python [--rounds N]

WATCHER_JAR picks another build of the Java watcher (default: this tree's target/dcf-watcher.jar).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "runtimes", "python", "watcher"))
sys.path.append(os.path.join(ROOT, "runtimes", "python", "watcher", "_vendor"))

import grpc  # noqa: E402
from grpc_health.v1 import health_pb2, health_pb2_grpc  # noqa: E402

from dcf.v1 import watcher_pb2, watcher_pb2_grpc  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid):
    """User + system CPU of pid so far, in ms."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / CLK_TCK


def compile_java_echo(work):
    sdk = os.path.join(ROOT, "function-sdk", "target", "function-sdk-0.1.0-SNAPSHOT.jar")
    out = os.path.join(work, "classes")
    subprocess.run(["javac", "-d", out, "-cp", sdk, os.path.join(ROOT, "examples", "hello-java", "Handler.java")],
                   check=True)
    return out


def command(args, work):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": work, "TMPDIR": work,
           "DCF_FUNCTION_NAME": "start-probe", "DCF_WATCHER_HOST": "127.0.0.1", "DCF_WATCHER_PORT": "0"}
    if args.runtime == "java":
        jar = os.environ.get("WATCHER_JAR", os.path.join(ROOT, "watcher-java", "target", "dcf-watcher.jar"))
        env.update(DCF_HANDLER="Handler", DCF_HANDLER_PATH=compile_java_echo(work))
        return [args.java] + args.jvm_opt + ["-jar", jar], env
    env.update(DCF_HANDLER="Handler", DCF_HANDLER_PATH=os.path.join(ROOT, "bench", "python-echo"),
               DCF_HANDLER_FILE="handler.py")
    return [args.python, os.path.join(ROOT, "runtimes", "python", "watcher", "dcf_watcher.py")], env


def one_round(cmd, env, work, timeout):
    port_file = os.path.join(work, "port")
    if os.path.exists(port_file):
        os.remove(port_file)
    env = dict(env, DCF_WATCHER_PORT_FILE=port_file)
    log = open(os.path.join(work, "replica.log"), "w")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = t0 + timeout
        while not (os.path.exists(port_file) and os.path.getsize(port_file) > 0):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the replica exited or wrote no port file; see " + log.name)
            time.sleep(0.001)
        t_port = time.monotonic()
        with open(port_file) as f:
            port = int(f.read().strip())
        channel = grpc.insecure_channel("127.0.0.1:%d" % port)
        health = health_pb2_grpc.HealthStub(channel)
        check = health_pb2.HealthCheckRequest(service="dcf.v1.Watcher")
        while True:
            try:
                if health.Check(check, timeout=5).status == health_pb2.HealthCheckResponse.SERVING:
                    break
            except grpc.RpcError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the replica did not report SERVING; see " + log.name)
            time.sleep(0.002)
        t_serving = time.monotonic()
        reply = watcher_pb2_grpc.WatcherStub(channel).Call(watcher_pb2.CallRequest(input=b"ping"), timeout=30)
        t_reply = time.monotonic()
        cpu = cpu_ms(proc.pid)
        if reply.output != b"ping":
            raise RuntimeError("unexpected reply %r" % reply.output)
        channel.close()
        return [(t_port - t0) * 1000, (t_serving - t0) * 1000, (t_reply - t0) * 1000, cpu]
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def p90(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runtime", choices=["java", "python"])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--jvm-opt", action="append", default=[], help="a JVM option (repeat)")
    parser.add_argument("--java", default=shutil.which("java") or "java")
    parser.add_argument("--python", default="/usr/bin/python3")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="dcf-start-probe.")
    try:
        cmd, env = command(args, work)
        columns = ["port file", "SERVING", "first reply", "CPU to reply"]
        rows = []
        for r in range(args.rounds):
            rows.append(one_round(cmd, env, work, args.timeout))
            print("round %2d: " % (r + 1) + "  ".join("%s %.0f ms" % (c, v) for c, v in zip(columns, rows[-1])),
                  file=sys.stderr)
        label = args.label or " ".join([args.runtime] + args.jvm_opt)
        med = [statistics.median(col) for col in zip(*rows)]
        nine = [p90(col) for col in zip(*rows)]
        print("%s | %s" % (label, " | ".join("%.0f / %.0f" % (m, n) for m, n in zip(med, nine))))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
