"""The watcher's gRPC services: dcf.v1.Watcher (Call, Calls, Stats, Load) and grpc.health.v1.Health.

Private to dcf_watcher.py; handlers never import this module. See
docs/watcher-contract.md for the statuses and messages, docs/runtimes.md for what a
handler may return.
"""

import collections.abc
import contextlib
import json
import logging
import queue
import threading
import time

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

import dcf
from dcf._stats import CallStats
from dcf._workers import Workers
from dcf.v1 import watcher_pb2, watcher_pb2_grpc

log = logging.getLogger("dcf.watcher")

WATCHER_SERVICE = "dcf.v1.Watcher"
_HEALTH_SERVICES = ("", WATCHER_SERVICE)

_LOADING, _SERVING, _DRAINING = "loading", "serving", "draining"
_REPLY, _DONE, _FAIL = "reply", "done", "fail"

# The trailer on a call refused before the handler ran ("loading", "draining", "at-limit"):
# the gateway resends by it, never by the message text (docs/watcher-contract.md).
REFUSED = "dcf-refused"
# The exit status of a replica whose handler ran on past its call's timeout and the grace.
EXIT_STUCK = 75


def _refuse(context, code, refusal, message):
    context.set_trailing_metadata(((REFUSED, refusal),))
    context.abort(code, message)


def to_reply(value):
    """Turns one value a handler returned (or yielded) into a CallReply."""
    if isinstance(value, dcf.Response):
        return watcher_pb2.CallReply(
            output=_to_bytes(value.output), content_type=value.content_type, headers=value.headers)
    if isinstance(value, (dict, list)):
        return watcher_pb2.CallReply(
            output=json.dumps(value, ensure_ascii=False).encode("utf-8"), content_type="application/json")
    return watcher_pb2.CallReply(output=_to_bytes(value))


def _to_bytes(value):
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError("handler returned %s (expected: str, bytes, bytearray, None, dict, list, "
                    "dcf.Response or a generator of those)" % type(value).__name__)


def _is_stream(result):
    return isinstance(result, collections.abc.Iterator)


class _LogWindow:
    """Logs a recurring event (a handler failing) at most once per window, with the number
    held back since the last line, so a handler failing on every call cannot flood the
    replica's log. The first event of each window is logged in full (traceback included)."""

    def __init__(self, window_s=10.0, clock=time.monotonic):
        self._window = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._start = None
        self._held = 0

    def log(self, level, msg, *args, exc_info=False):
        with self._lock:
            now = self._clock()
            if self._start is not None and now - self._start < self._window:
                self._held += 1
                return
            self._start, held, self._held = now, self._held, 0
        if held:
            msg += " (%d more like it in the last %d s not logged)"
            args = args + (held, self._window)
        log.log(level, msg, *args, exc_info=exc_info)


_FAILURES = _LogWindow()


class _Lease:
    """One admitted call or stream. Holds its concurrency slot until both the RPC has
    ended and the handler run it started has finished (a timed-out handler keeps
    running in the background: Python cannot stop a thread)."""

    __slots__ = ("_invoker", "_stream", "_holds", "_ended", "_lock")

    def __init__(self, invoker, stream=False):
        self._invoker = invoker
        self._stream = stream
        self._holds = 1
        self._ended = False
        self._lock = threading.Lock()

    def hold(self):
        with self._lock:
            self._holds += 1

    def end(self):
        """The RPC is over (its termination callback). Idempotent."""
        with self._lock:
            if self._ended:
                return
            self._ended = True
            self._drop()

    def done(self):
        """A handler run has finished."""
        with self._lock:
            self._drop()

    def _drop(self):
        self._holds -= 1
        if self._holds == 0:
            self._invoker._release(self._stream)


class _Run:
    """One handler run: whether it finished, and whether its call ended before it did.

    A unary Call's run also carries its outcome: the first (kind, value) settle() is given,
    which wait() blocks for (one lock, no queue: the handler thread settles, the gRPC
    thread waits)."""

    __slots__ = ("finished", "overran", "outcome", "_settled")

    def __init__(self, one_shot=False):
        self.finished = False
        self.overran = False
        self.outcome = None
        self._settled = None
        if one_shot:
            self._settled = threading.Lock()
            self._settled.acquire()

    def settle(self, outcome):
        """The handler thread's result; only the first counts (a Call answers one reply)."""
        if self.outcome is None:
            self.outcome = outcome
            self._settled.release()

    def wait(self, timeout):
        """True once settled, False when ``timeout`` seconds passed first."""
        return self._settled.acquire(timeout=min(timeout, threading.TIMEOUT_MAX))


class Invoker:
    """Admits calls against DCF_MAX_CONCURRENCY and runs the handler on worker
    threads, each run bounded by the call's deadline.

    Python cannot stop a thread: a run still going DCF_STUCK_GRACE_MS after its call
    timed out means the replica lost a slot (and maybe a core) for good, so
    ``on_stuck`` is told once, with a one-line reason, and the watcher exits with
    EXIT_STUCK for its supervisor to restart it. A drain does not wait for such runs."""

    def __init__(self, config, on_stuck=None):
        self._config = config
        self._on_stuck = on_stuck or (lambda reason: log.error("%s", reason))
        self._target = None
        self._state = _LOADING
        self._inflight = 0
        self._overrunning = 0
        self._stuck = False
        self._streams = 0
        # Streams may hold half of the slots (rounded up, at least one): the rest stay for unary calls.
        self._stream_limit = (config.max_concurrency + 1) // 2
        self._cv = threading.Condition()
        # Slots bound the handler runs, so these threads never queue work.
        self._pool = Workers(config.max_concurrency, "dcf-handler")

    def configure(self, config):
        """A pooled watcher took its function (Load): its name, timeout and grace from now on;
        the slots stay as started."""
        with self._cv:
            self._config = config

    def serve(self, target):
        with self._cv:
            self._target = target
            self._state = _SERVING

    def drain(self):
        with self._cv:
            self._state = _DRAINING

    def inflight(self):
        with self._cv:
            return self._inflight

    def await_idle(self, timeout):
        """Waits until every call in flight has answered (runs that overran their call are
        not waited for); False when ``timeout`` seconds passed first."""
        with self._cv:
            return self._cv.wait_for(lambda: self._inflight <= self._overrunning, timeout=timeout)

    def overrunning(self):
        with self._cv:
            return self._overrunning

    def _overran(self, run, budget_ms):
        """The call timed out while its run goes on; past the grace the replica is stuck."""
        with self._cv:
            if run.finished or run.overran:
                return
            run.overran = True
            self._overrunning += 1
            self._cv.notify_all()
        timer = threading.Timer(self._config.stuck_grace_ms / 1000.0, self._check_stuck, args=(run, budget_ms))
        timer.daemon = True
        timer.start()

    def _check_stuck(self, run, budget_ms):
        with self._cv:
            if run.finished or self._stuck:
                return
            self._stuck = True
        self._on_stuck("function=%s handler still running %d ms after its call timed out (%d ms); exiting "
                       "with status %d so the replica is restarted"
                       % (self._config.function_name, self._config.stuck_grace_ms, budget_ms, EXIT_STUCK))

    def _finished(self, run):
        with self._cv:
            run.finished = True
            if run.overran:
                self._overrunning -= 1
                self._cv.notify_all()

    def admit(self, context, stream=False):
        """Takes a slot for this RPC (and one of the streams' share for a stream), or aborts
        it with UNAVAILABLE or RESOURCE_EXHAUSTED."""
        name = self._config.function_name
        limit = self._config.max_concurrency
        with self._cv:
            if self._state == _LOADING:
                _refuse(context, grpc.StatusCode.UNAVAILABLE, "loading", "function %s is still loading" % name)
            if self._state == _DRAINING:
                _refuse(context, grpc.StatusCode.UNAVAILABLE, "draining", "function %s is draining" % name)
            if stream and self._streams >= self._stream_limit:
                _refuse(context, grpc.StatusCode.RESOURCE_EXHAUSTED, "at-limit",
                        "function %s is at its stream limit (%d of its %d slots; the others are kept "
                        "for unary calls)" % (name, self._stream_limit, limit))
            if self._inflight >= limit:
                _refuse(context, grpc.StatusCode.RESOURCE_EXHAUSTED, "at-limit",
                        "function %s is at its concurrency limit (%d)" % (name, limit))
            self._inflight += 1
            if stream:
                self._streams += 1
        lease = _Lease(self, stream)
        if not context.add_callback(lease.end):
            lease.end()
        return lease

    def _release(self, stream):
        with self._cv:
            self._inflight -= 1
            if stream:
                self._streams -= 1
            self._cv.notify_all()

    def call(self, message, lease, context):
        """Runs the handler for one Call: its first CallReply, or None when it gave none.

        Aborts the RPC as replies() does.
        """
        budget = self._budget(context)
        run = _Run(one_shot=True)
        self._submit(lease, context, self._request(message), run.settle, None, True, run)
        if not run.wait(budget):
            self._timed_out(run, budget, context)
        kind, value = run.outcome
        if kind is _FAIL:
            context.abort(*value)
        return value

    def replies(self, message, lease, context, first_only):
        """Runs the handler for one request; yields its CallReplies as they come.

        Aborts the RPC with the handler's FunctionError code, INTERNAL, or
        DEADLINE_EXCEEDED once min(caller's deadline, DCF_TIMEOUT_MS) has passed.
        """
        budget = self._budget(context)
        results = queue.SimpleQueue()
        stop = threading.Event()
        run = _Run()
        self._submit(lease, context, self._request(message), results.put, stop, first_only, run)
        deadline = time.monotonic() + budget
        try:
            while True:
                try:
                    kind, value = results.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    self._timed_out(run, budget, context)
                if kind is _DONE:
                    return
                if kind is _FAIL:
                    context.abort(*value)
                yield value
        finally:
            stop.set()

    def _budget(self, context):
        """Seconds this request may take: min(caller's deadline, DCF_TIMEOUT_MS)."""
        budget = self._config.timeout_ms / 1000.0
        remaining = context.time_remaining()
        if remaining is not None:
            budget = max(0.0, min(budget, remaining))
        return budget

    def _request(self, message):
        return dcf.Request(message.input, message.content_type, message.headers,
                           message.path, message.method, message.function or self._config.function_name)

    def _submit(self, lease, context, request, sink, stop, first_only, run):
        """Hands the run to a handler thread; the lease is held until it finishes."""
        lease.hold()
        try:
            self._pool.submit(self._run, request, sink, stop, first_only, lease, run)
        except RuntimeError:  # the pool is shut down: the replica is exiting
            lease.done()
            _refuse(context, grpc.StatusCode.UNAVAILABLE, "draining",
                    "function %s is draining" % self._config.function_name)

    def _timed_out(self, run, budget, context):
        self._overran(run, round(budget * 1000))
        context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, "function %s timed out after %d ms"
                      % (self._config.function_name, round(budget * 1000)))

    def _run(self, request, sink, stop, first_only, lease, run):
        """On a handler thread: calls the handler and tells ``sink`` each (kind, value). The
        last ones go after the run's own bookkeeping, so that the gRPC thread they wake does
        not wait for this one to finish it."""
        last = ()
        try:
            result = self._target(request)
            if _is_stream(result):
                with contextlib.closing(result) if hasattr(result, "close") else contextlib.nullcontext():
                    for item in result:
                        sink((_REPLY, to_reply(item)))
                        if first_only or stop.is_set():
                            break
                last = ((_DONE, None),)
            else:
                last = ((_REPLY, to_reply(result)), (_DONE, None))
        except dcf.FunctionError as e:
            _FAILURES.log(logging.INFO, "function=%s handler failed: %s %s", self._config.function_name, e.code,
                          e.message)
            last = ((_FAIL, (grpc.StatusCode[e.code], e.message)),)
        except BaseException as e:  # noqa: B902 - a handler's SystemExit must not kill the replica
            _FAILURES.log(logging.ERROR, "function=%s handler failed", self._config.function_name, exc_info=True)
            last = ((_FAIL, (grpc.StatusCode.INTERNAL, str(e) or type(e).__name__)),)
        finally:
            self._finished(run)
            lease.done()
            for outcome in last:
                sink(outcome)

    def shutdown(self):
        self._pool.shutdown()


class WatcherService(watcher_pb2_grpc.WatcherServicer):
    """dcf.v1.Watcher: Call answers with the first reply; Calls streams every reply,
    request after request, in order; Stats tells the replica's counters; Load (pool mode
    only) goes to ``load``."""

    def __init__(self, invoker, max_concurrency, load=None):
        self._invoker = invoker
        self._stats = CallStats(max_concurrency)
        self._load = load

    def Call(self, request, context):
        # The lease ends when the RPC does (admit registers it with the context), so a
        # drain waits until the reply has been sent, not just computed.
        lease = self._invoker.admit(context)
        started, ok = self._start()
        try:
            reply = self._invoker.call(request, lease, context)
            ok = True
            return reply if reply is not None else watcher_pb2.CallReply()
        finally:
            self._stats.ended(ok, time.monotonic() - started)

    def Calls(self, request_iterator, context):
        lease = self._invoker.admit(context, stream=True)
        started, ok = self._start()
        try:
            for request in request_iterator:
                yield from self._invoker.replies(request, lease, context, first_only=False)
            ok = context.is_active()
        finally:  # also when the caller cancels (the generator is closed)
            self._stats.ended(ok, time.monotonic() - started)

    def Stats(self, request, context):
        return self._stats.snapshot()

    def Load(self, request, context):
        if self._load is None:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, "this watcher was started for its function, "
                          "not in pool mode (DCF_POOL): it takes no Load")
        return self._load(request, context)

    def _start(self):
        self._stats.started()
        return time.monotonic(), False


class HealthService(health_pb2_grpc.HealthServicer):
    """grpc.health.v1.Health for the services "" and "dcf.v1.Watcher"."""

    def __init__(self):
        self._serving = False
        self._stopped = False
        self._cv = threading.Condition()

    def set_serving(self, serving):
        with self._cv:
            self._serving = serving
            self._cv.notify_all()

    def stop(self):
        """Ends every Watch stream, so the server can stop without waiting for them."""
        with self._cv:
            self._stopped = True
            self._cv.notify_all()

    def _status(self, service):
        if service not in _HEALTH_SERVICES:
            return health_pb2.HealthCheckResponse.SERVICE_UNKNOWN
        if self._serving:
            return health_pb2.HealthCheckResponse.SERVING
        return health_pb2.HealthCheckResponse.NOT_SERVING

    def Check(self, request, context):
        if request.service not in _HEALTH_SERVICES:
            context.abort(grpc.StatusCode.NOT_FOUND, "unknown service %s" % request.service)
        with self._cv:
            return health_pb2.HealthCheckResponse(status=self._status(request.service))

    def Watch(self, request, context):
        last = None
        while context.is_active():
            with self._cv:
                self._cv.wait_for(lambda: self._stopped or self._status(request.service) != last, timeout=1.0)
                if self._stopped:
                    return
                status = self._status(request.service)
            if status != last:
                last = status
                yield health_pb2.HealthCheckResponse(status=status)
