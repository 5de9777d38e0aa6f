"""Pool mode (DCF_POOL=true): a generic watcher waits with no function until one
dcf.v1.Watcher/Load names it (docs/watcher-contract.md, "The warm pool").

Private to dcf_watcher.py. The Load's variables go into os.environ before the handler
is imported, so a pooled Python replica sees its function's environment exactly as one
started for it would.
"""

import logging
import os
import threading
import time

import grpc

from dcf.v1 import watcher_pb2

log = logging.getLogger("dcf.watcher")

# What a Load cannot change: the process was started with them (its port, its parent, its secret).
PROCESS_KEYS = frozenset(("DCF_WATCHER_HOST", "DCF_WATCHER_PORT", "DCF_WATCHER_PORT_FILE", "DCF_EXIT_WITH_PARENT",
                          "DCF_REPLICA_SECRET_STDIN", "DCF_POOL"))


class PoolLoad:
    """Takes exactly one Load: builds the function's Config from the start-up environment with
    the Load's variables over it, then runs ``load(config)`` (True once it serves). A second
    Load is FAILED_PRECONDITION; a failed one answers the start-up failure's message and tells
    ``wake`` ("failed", or "bad-config"), after which the process exits."""

    def __init__(self, started, make_config, load, wake):
        self._started = started
        self._make_config = make_config
        self._load = load
        self._wake = wake
        self._lock = threading.Lock()
        self._taken = None

    def __call__(self, request, context):
        with self._lock:
            taken = self._taken
            if taken is None:
                self._taken = request.contract.get("DCF_FUNCTION_NAME") or "function"
        if taken is not None:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, "this pooled watcher already took function %s; "
                          "a pooled process serves one function for its whole life" % taken)
        env = dict(os.environ)
        env.pop("DCF_POOL", None)
        env.update(request.environment)
        env.update((k, v) for k, v in request.contract.items() if k not in PROCESS_KEYS)
        try:
            config = self._make_config(env)
            for name, attribute in (("DCF_MAX_CONCURRENCY", "max_concurrency"),
                                    ("DCF_MAX_MESSAGE_BYTES", "max_message_bytes")):
                loaded, started = getattr(config, attribute), getattr(self._started, attribute)
                if loaded != started:
                    raise ValueError("%s: %d (expected: %d, as this pooled process was started with)"
                                     % (name, loaded, started))
        except ValueError as e:
            log.error("%s", e)
            self._wake.set("bad-config")
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "invalid configuration: %s" % e)
        os.environ.clear()
        os.environ.update(env)
        os.environ["DCF_FUNCTION_DIR"] = config.function_dir
        started = time.monotonic()
        failure = self._load(config)
        if failure is not None:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, failure)
        return watcher_pb2.LoadReply(load_millis=round((time.monotonic() - started) * 1000))
