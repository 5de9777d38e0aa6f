#!/usr/bin/env python3
"""DCF Python watcher: loads one Python handler and serves it over gRPC.

Run ``python3 dcf_watcher.py``; configured only by the DCF_* environment variables
of docs/watcher-contract.md. Needs grpcio and protobuf (Debian: python3-grpcio,
python3-protobuf); a virtual environment made with ``--system-site-packages`` sees
them too. Exit status: 0 after a drain, 2 for a bad setting, 3 when the handler
cannot be loaded, 1 when the port cannot be bound, 75 after a drain when a handler
ran on DCF_STUCK_GRACE_MS past its call's timeout. With DCF_POOL=true it starts with
no function and waits for one dcf.v1.Watcher/Load to name it (dcf/_pool.py).
"""

import importlib.util
import inspect
import logging
import os
import select
import signal
import sys
import threading
import time
from concurrent import futures

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
# Last, so an installed grpcio-health-checking wins over the vendored stubs.
sys.path.append(os.path.join(_HERE, "_vendor"))

import grpc  # noqa: E402
from grpc_health.v1 import health_pb2_grpc  # noqa: E402

from dcf import _pool, _secret, _serve  # noqa: E402
from dcf.v1 import watcher_pb2_grpc  # noqa: E402

log = logging.getLogger("dcf.watcher")

EXIT_BIND_FAILED, EXIT_BAD_CONFIG, EXIT_LOAD_FAILED = 1, 2, 3


class LoadError(Exception):
    """The handler file or the handler in it is not usable."""


def _int_env(env, name, default, minimum):
    raw = env.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ValueError("%s: %s (expected: an integer >= %d)" % (name, raw, minimum))
    return value


def _bool_env(env, name):
    raw = (env.get(name) or "false").strip().lower()
    if raw in ("true", "1", "yes"):
        return True
    if raw in ("false", "0", "no"):
        return False
    raise ValueError("%s: %s (expected: true or false)" % (name, env.get(name)))


class Config:
    """The DCF_* settings; empty values count as unset."""

    def __init__(self, env):
        self.function_name = env.get("DCF_FUNCTION_NAME") or "function"
        self.handler = env.get("DCF_HANDLER") or "Handler"
        self.handler_path = os.path.abspath(env.get("DCF_HANDLER_PATH") or ".")
        self.handler_file = env.get("DCF_HANDLER_FILE") or "handler.py"
        self.function_dir = os.path.abspath(env.get("DCF_FUNCTION_DIR") or self.handler_path)
        self.host = env.get("DCF_WATCHER_HOST") or "0.0.0.0"
        self.port = _int_env(env, "DCF_WATCHER_PORT", 50051, 0)
        if self.port > 65535:
            raise ValueError("DCF_WATCHER_PORT: %d (expected: <= 65535)" % self.port)
        port_file = env.get("DCF_WATCHER_PORT_FILE")
        self.port_file = os.path.abspath(port_file) if port_file else None
        self.timeout_ms = _int_env(env, "DCF_TIMEOUT_MS", 30000, 1)
        self.max_concurrency = _int_env(env, "DCF_MAX_CONCURRENCY", 64, 1)
        self.drain_timeout_ms = _int_env(env, "DCF_DRAIN_TIMEOUT_MS", 10000, 0)
        self.max_message_bytes = _int_env(env, "DCF_MAX_MESSAGE_BYTES", 64 * 1024 * 1024, 1)
        self.exit_with_parent = _bool_env(env, "DCF_EXIT_WITH_PARENT")
        self.secret_from_stdin = _bool_env(env, "DCF_REPLICA_SECRET_STDIN")
        self.stuck_grace_ms = _int_env(env, "DCF_STUCK_GRACE_MS", 5000, 1)

    @property
    def handler_location(self):
        return os.path.join(self.handler_path, self.handler_file)


def load_handler(config):
    """Imports the handler file and returns (callable, close or None).

    A class is instantiated once here: its __init__ (load a model) runs before the
    replica reports SERVING, and the instance is called for every request.
    """
    path = config.handler_location
    if not os.path.isfile(path):
        raise LoadError("no such file")
    if config.handler_path not in sys.path:
        sys.path.insert(0, config.handler_path)
    name = os.path.splitext(config.handler_file)[0]
    if name in sys.modules:
        name = "_dcf_handler_" + name
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:
        raise LoadError("not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    target = getattr(module, config.handler, None)
    if target is None:
        raise LoadError("the file defines no %s" % config.handler)
    if inspect.isclass(target):
        instance = target()
        if not callable(instance):
            raise LoadError("class %s has no __call__(self, req) method" % config.handler)
        close = getattr(instance, "close", None)
        return instance, close if callable(close) else None
    if not callable(target):
        raise LoadError("%s is a %s, not a function or a class" % (config.handler, type(target).__name__))
    return target, None


def _write_port_file(path, port):
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write(str(port))
    os.replace(tmp, path)


def _watch_stdin(wake):
    """DCF_EXIT_WITH_PARENT: the parent holds our stdin; end of file means it is gone."""
    fd = sys.stdin.fileno()
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    log.info("standard input closed: draining")
    wake.set("stop")


class _Wake:
    """What the main thread waits for: the handler loaded or failed, or a stop request.

    A self-pipe rather than a threading.Event: set() runs inside signal handlers,
    where taking the Event's lock could deadlock the main thread.
    """

    def __init__(self):
        self.reasons = set()
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)

    def set(self, reason):
        self.reasons.add(reason)
        try:
            os.write(self._write, b"!")
        except BlockingIOError:  # the pipe is full: the main thread has plenty to wake on
            pass

    def wait_for(self, *reasons):
        while not self.reasons.intersection(reasons):
            select.select([self._read], [], [], 0.5)
            try:
                os.read(self._read, 4096)
            except BlockingIOError:
                pass


def _start_server(config, invoker, health, secret, load=None):
    interceptors = [_secret.SecretCheck(config.function_name, secret)] if secret else []
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=config.max_concurrency + 16, thread_name_prefix="dcf-grpc"),
        interceptors=interceptors,
        options=[("grpc.max_send_message_length", config.max_message_bytes),
                 ("grpc.max_receive_message_length", config.max_message_bytes),
                 ("grpc.so_reuseport", 0)])
    watcher_pb2_grpc.add_WatcherServicer_to_server(_serve.WatcherService(invoker, config.max_concurrency, load), server)
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    host = "[%s]" % config.host if ":" in config.host and not config.host.startswith("[") else config.host
    address = "%s:%d" % (host, config.port)
    try:
        port = server.add_insecure_port(address)
    except RuntimeError as e:
        log.error("cannot bind %s: %s", address, e)
        return None, 0
    if not port:
        log.error("cannot bind %s", address)
        return None, 0
    server.start()
    return server, port


def _exit(status):
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)  # do not wait for handler threads that overran their deadline


def main():
    logging.basicConfig(stream=sys.stderr, level=os.environ.get("DCF_LOG_LEVEL", "INFO").upper(),
                        format="%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s")
    try:
        config = Config(os.environ)
        pool = _bool_env(os.environ, "DCF_POOL")
    except ValueError as e:
        log.error("%s", e)
        return EXIT_BAD_CONFIG
    if not pool:
        os.environ["DCF_FUNCTION_DIR"] = config.function_dir  # handlers read their home from here
    secret = None
    if config.secret_from_stdin:
        try:
            secret = _secret.read_line(sys.stdin.fileno())
        except (OSError, ValueError) as e:
            log.error("DCF_REPLICA_SECRET_STDIN: %s", e)
            return EXIT_BAD_CONFIG

    # 1. Bind with health NOT_SERVING, write the port file.
    wake = _Wake()

    def stuck(reason):
        log.error("%s", reason)
        wake.set("stuck")

    invoker, health = _serve.Invoker(config, on_stuck=stuck), _serve.HealthService()
    current = {"config": config}

    def load(cfg):
        """Loads the handler of ``cfg`` and serves it; None once it serves, else why not."""
        current["config"] = cfg
        invoker.configure(cfg)
        started = time.monotonic()
        try:
            target, close = load_handler(cfg)
        except BaseException as e:  # noqa: B902 - SyntaxError, SystemExit in user code, ...
            reason = str(e) if isinstance(e, LoadError) else "%s: %s" % (type(e).__name__, e)
            log.error("function=%s cannot load handler %s from %s: %s", cfg.function_name, cfg.handler,
                      cfg.handler_location, reason, exc_info=not isinstance(e, LoadError))
            wake.set("failed")
            return "function %s cannot load handler %s from %s: %s" % (
                cfg.function_name, cfg.handler, cfg.handler_location, reason)
        current["close"] = close
        invoker.serve(target)
        health.set_serving(True)
        log.info("function=%s SERVING: handler %s loaded in %d ms", cfg.function_name, cfg.handler,
                 round((time.monotonic() - started) * 1000))
        wake.set("loaded")
        return None

    pool_load = _pool.PoolLoad(config, Config, load, wake) if pool else None
    server, port = _start_server(config, invoker, health, secret, pool_load)
    if server is None:
        return EXIT_BIND_FAILED
    if config.port_file:
        _write_port_file(config.port_file, port)
    if pool:
        log.info("function=%s listening on %s:%d; waiting in the warm pool for a Load", config.function_name,
                 config.host, port)
    else:
        log.info("function=%s listening on %s:%d; loading %s from %s", config.function_name, config.host, port,
                 config.handler, config.handler_location)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: wake.set("stop"))
    if config.exit_with_parent:
        threading.Thread(target=_watch_stdin, args=(wake,), name="dcf-stdin", daemon=True).start()

    # 2. Load the handler (a class's __init__ runs here, once); in pool mode, when a Load names it.
    if not pool:
        threading.Thread(target=load, args=(config,), name="dcf-load", daemon=True).start()
    wake.wait_for("loaded", "failed", "bad-config", "stop")
    fn = current["config"].function_name
    if "failed" in wake.reasons or "bad-config" in wake.reasons:
        server.stop(1.0).wait(5.0)  # lets a failed Load's answer go out
        return EXIT_LOAD_FAILED if "failed" in wake.reasons else EXIT_BAD_CONFIG
    if "loaded" not in wake.reasons:
        log.info("function=%s stopping before the handler loaded", fn)
        server.stop(0)
        return 0

    # 3. Serve.
    wake.wait_for("stop", "stuck")

    # 4. Drain: NOT_SERVING, refuse new calls, let calls in flight finish, close.
    status = _drain(current["config"], server, invoker, health, current.get("close"))
    return _serve.EXIT_STUCK if "stuck" in wake.reasons else status


def _drain(config, server, invoker, health, close):
    fn = config.function_name
    health.set_serving(False)
    invoker.drain()
    started = time.monotonic()
    log.info("function=%s draining: %d call(s) in flight, up to %d ms", fn, invoker.inflight(),
             config.drain_timeout_ms)
    if not invoker.await_idle(config.drain_timeout_ms / 1000.0):
        log.warning("function=%s %d call(s) still in flight after %d ms; stopping anyway", fn,
                    invoker.inflight(), config.drain_timeout_ms)
    health.stop()
    grace = max(0.0, config.drain_timeout_ms / 1000.0 - (time.monotonic() - started))
    server.stop(grace).wait(grace + 5.0)
    invoker.shutdown()
    if close is not None:
        try:
            close()
        except Exception:  # noqa: B902 - a failing close must not change the exit status
            log.warning("function=%s handler close() failed", fn, exc_info=True)
    log.info("function=%s stopped", fn)
    return 0


if __name__ == "__main__":
    _exit(main())
