"""The watcher's own counters, served by dcf.v1.Watcher/Stats (docs/watcher-contract.md).

A call is one admitted Call, or one Calls stream for its whole life. Private to the
watcher; handlers never import this module.
"""

import bisect
import threading

from dcf.v1 import watcher_pb2

# Upper bounds of the latency buckets, in seconds (Prometheus's defaults, as the gateway's).
BOUNDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class CallStats:
    """In flight, ended, failed, and a latency histogram; safe from any thread."""

    def __init__(self, max_concurrency):
        self._max_concurrency = max_concurrency
        self._lock = threading.Lock()
        self._inflight = 0
        self._calls = 0
        self._errors = 0
        self._sum = 0.0
        self._buckets = [0] * len(BOUNDS)  # not cumulative; the snapshot adds them up

    def started(self):
        with self._lock:
            self._inflight += 1

    def ended(self, ok, seconds):
        with self._lock:
            self._inflight -= 1
            self._calls += 1
            if not ok:
                self._errors += 1
            self._sum += seconds
            index = bisect.bisect_left(BOUNDS, seconds)
            if index < len(BOUNDS):
                self._buckets[index] += 1

    def snapshot(self):
        with self._lock:
            cumulative, total = [], 0
            for count in self._buckets:
                total += count
                cumulative.append(total)
            return watcher_pb2.StatsReply(
                inflight=self._inflight, calls=self._calls, errors=self._errors,
                latency_seconds_sum=self._sum, latency_bucket_bounds=BOUNDS,
                latency_bucket_counts=cumulative, max_concurrency=self._max_concurrency)
