"""The handler threads: runs handed over LIFO, one wake-up per run.

Private to the watcher. concurrent.futures.ThreadPoolExecutor costs a Future, a work
item, a shared queue and an idle semaphore per run, and wakes whichever of its idle
threads waited longest. Here every idle thread waits on its own lock; a run goes to the
thread that became idle last (its stack and caches still warm), and only when none is idle
is a thread started. The caller bounds the runs (the watcher's slots), so nothing queues.
"""

import logging
import threading

log = logging.getLogger("dcf.watcher")


class _Thread:
    __slots__ = ("task", "wake")

    def __init__(self, task):
        self.task = task
        self.wake = threading.Lock()
        self.wake.acquire()  # released by submit() with the next task


class Workers:
    """Threads named ``<prefix>_<n>`` that run ``fn(*args)`` handed over by submit();
    at most ``keep`` of them stay idle (more finish). Daemon threads: a run that overran
    its call must not keep the process alive."""

    def __init__(self, keep, prefix):
        self._keep = keep
        self._prefix = prefix
        self._lock = threading.Lock()
        self._idle = []  # most recently idle last
        self._started = 0
        self._closed = False

    def submit(self, fn, *args):
        """Runs ``fn(*args)`` on an idle thread, or on a new one; RuntimeError after shutdown()."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the handler threads are shut down")
            if self._idle:
                thread = self._idle.pop()
                thread.task = (fn, args)
                thread.wake.release()
                return
            self._started += 1
            name = "%s_%d" % (self._prefix, self._started)
        threading.Thread(target=self._loop, args=(_Thread((fn, args)),), name=name, daemon=True).start()

    def idle(self):
        with self._lock:
            return len(self._idle)

    def shutdown(self):
        """Idle threads finish now, busy ones after their run; submit() refuses from now on."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for thread in idle:
            thread.task = None
            thread.wake.release()

    def _loop(self, thread):
        while True:
            task, thread.task = thread.task, None
            if task is None:
                return
            fn, args = task
            try:
                fn(*args)
            except BaseException:  # noqa: B902 - the caller's runs catch their own; never lose the thread silently
                log.exception("handler thread %s: a run failed", threading.current_thread().name)
            task = fn = args = None  # an idle thread holds no request or reply
            with self._lock:
                if self._closed or len(self._idle) >= self._keep:
                    return
                self._idle.append(thread)
            thread.wake.acquire()
